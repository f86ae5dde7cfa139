using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Shim.Benchmarks;
using Fabric.Shim.Server;
using Microsoft.Extensions.Configuration;

// Stub round trips/s of our shim against the official Node fabric-shim: the same contract logic
// (ShimBenchContract.cs and tests/interop/node/bench/shim-contract) as two CCaaS chaincodes on one embedded
// network, each in its own process, driven by the same Fabric.Client evaluates; rounds alternate which goes first.
// Usage: [--seconds 5] [--warmup 2] [--rounds 3] [--inflight 1,10] [--keys 500] [--readwrite 50] [--pagesize 50]
//        [--workloads Ping,ReadWrite,Range] [--node-nodelay true] (experiment: TCP_NODELAY on the Node server's sockets)
if (args.Length > 0 && args[0] == "chaincode") return await ChaincodeServer.RunAsync([], new ShimBenchContract());

var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var seconds = double.Parse(settings["seconds"] ?? "5", CultureInfo.InvariantCulture);
var warmUp = double.Parse(settings["warmup"] ?? "2", CultureInfo.InvariantCulture);
var rounds = int.Parse(settings["rounds"] ?? "3", CultureInfo.InvariantCulture);
var levels = (settings["inflight"] ?? "1,10").Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
var keys = settings["keys"] ?? "500";
var readWrite = settings["readwrite"] ?? "50";
var pageSize = settings["pagesize"] ?? "50";
var nodeNoDelay = bool.Parse(settings["node-nodelay"] ?? "false");
var workloadFilter = (settings["workloads"] ?? "Ping,ReadWrite,Range").Split(',');
const string prefix = "k";

const string dotnetName = "csshimbench", nodeName = "nodeshimbench";
var data = Path.Combine(Path.GetTempPath(), $"shim-bench-{Guid.NewGuid():N}");
await using var dotnetChaincode = await ChaincodeProcess.StartDotNetAsync($"{dotnetName}_1.0");
await using var nodeChaincode = await ChaincodeProcess.StartNodeAsync($"{nodeName}_1.0", nodeNoDelay);
var definition = NetworkDefinition.Default();
definition.Chaincodes.Add(new ChaincodeDefinition { Name = dotnetName, Address = dotnetChaincode.Address });
definition.Chaincodes.Add(new ChaincodeDefinition { Name = nodeName, Address = nodeChaincode.Address });

var summary = new List<(string Workload, int InFlight, double DotNet, double Node, int RoundTrips)>();
await using (var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = data, Definition = definition }))
{
    var peer = network.Peers[0];
    var user = network.Client(peer.MspId);
    using var channel = FabricChannel.Create(peer.Uri, new FabricChannelOptions
    {
        TrustedRoots = [X509Certificate2.CreateFromPem(File.ReadAllText(peer.TlsRootCertFile))],
        ServerNameOverride = peer.ServerNameOverride,
    });
    using var signer = user.CreateSigner();
    var gateway = Fabric.Client.Gateway.Connect(channel, user.Identity, signer);
    var dotnet = gateway.GetNetwork(network.ChannelName).GetContract(dotnetName);
    var node = gateway.GetNetwork(network.ChannelName).GetContract(nodeName);

    // The same data in both chaincodes' namespaces; then each workload must give the same result on both sides.
    foreach (var contract in new[] { dotnet, node })
        await contract.SubmitTransactionAsync("Seed", prefix, keys, "64");
    var workloads = new (string Name, string[] Arguments)[] { ("Ping", []), ("ReadWrite", [prefix, readWrite]), ("Range", [prefix, pageSize]) };
    var roundTrips = new Dictionary<string, int>();
    foreach (var (name, arguments) in workloads)
    {
        var fromDotNet = Fabric.Client.Contract.AsString(await dotnet.EvaluateTransactionAsync(name, arguments));
        var fromNode = Fabric.Client.Contract.AsString(await node.EvaluateTransactionAsync(name, arguments));
        if (fromDotNet != fromNode)
            throw new InvalidOperationException($"{name}: the two chaincodes disagree (.NET '{fromDotNet}', Node '{fromNode}'); the benchmark would compare different work.");
        roundTrips[name] = RoundTripsPerTransaction(name, fromDotNet, int.Parse(readWrite, CultureInfo.InvariantCulture));
        Console.WriteLine($"  {name,-9} result on both shims: '{fromDotNet}' -> {roundTrips[name]} stub round trips per transaction");
    }

    Console.WriteLine($"Embedded network: 3 agencies, TLS; two CCaaS chaincodes, each in its own process; one Fabric.Client evaluates (one peer runs the chaincode).");
    Console.WriteLine($"{warmUp} s warm-up, then {seconds} s timed; {rounds} rounds; {Environment.ProcessorCount} cores; load average {LoadAverage()}.");
    if (nodeNoDelay) Console.WriteLine("Experiment: the Node chaincode server runs with TCP_NODELAY on its accepted sockets (not fabric-shim's default).");
    foreach (var (name, arguments) in workloads.Where(w => workloadFilter.Contains(w.Name)))
        foreach (var inFlight in levels)
        {
            var dotnetRates = new List<double>();
            var nodeRates = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                // Alternate who goes first, so that drift in the machine's load does not favour one side.
                var order = round % 2 == 1 ? new[] { dotnet, node } : [node, dotnet];
                foreach (var contract in order)
                {
                    await LoadAsync(contract, name, arguments, inFlight, TimeSpan.FromSeconds(warmUp));
                    (contract == dotnet ? dotnetRates : nodeRates).Add(await LoadAsync(contract, name, arguments, inFlight, TimeSpan.FromSeconds(seconds)));
                }
                Console.WriteLine($"  {name,-9} {inFlight,3} in flight, round {round}: .NET {dotnetRates[^1],8:F1} tx/s   Node {nodeRates[^1],8:F1} tx/s   .NET/Node {dotnetRates[^1] / nodeRates[^1]:F2}");
            }
            summary.Add((name, inFlight, Median(dotnetRates), Median(nodeRates), roundTrips[name]));
        }
}
Directory.Delete(data, recursive: true);

Console.WriteLine();
Console.WriteLine($"Median of {rounds} rounds                 .NET tx/s  Node tx/s   .NET round trips/s  Node round trips/s   .NET/Node");
foreach (var (name, inFlight, dotnetRate, nodeRate, trips) in summary)
    Console.WriteLine($"  {name,-9} {inFlight,3} in flight ({trips,3} RT/tx) {dotnetRate,9:F1}  {nodeRate,9:F1}   {dotnetRate * trips,18:F0}  {nodeRate * trips,18:F0}   {dotnetRate / nodeRate,9:F2}");
Console.WriteLine($"Load average at the end: {LoadAverage()}");
return 0;

// GET_STATE + PUT_STATE per key; GET_STATE_BY_RANGE + QUERY_STATE_CLOSE per page (a page fits one batch of 100).
static int RoundTripsPerTransaction(string workload, string result, int readWrite) => workload switch
{
    "Ping" => 0,
    "ReadWrite" => 2 * readWrite,
    "Range" => 2 * int.Parse(result.Split(' ').Single(p => p.StartsWith("pages=", StringComparison.Ordinal))["pages=".Length..], CultureInfo.InvariantCulture),
    _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, null),
};

// Evaluates one transaction with inFlight calls outstanding for the duration; returns transactions/s. Any failure stops the benchmark.
static async Task<double> LoadAsync(Fabric.Client.Contract contract, string name, string[] arguments, int inFlight, TimeSpan duration)
{
    long calls = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
    {
        while (clock.Elapsed < duration)
        {
            await contract.EvaluateTransactionAsync(name, arguments);
            Interlocked.Increment(ref calls);
        }
    }));
    return calls / clock.Elapsed.TotalSeconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
