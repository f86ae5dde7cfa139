using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using CashTransfer.Testing.NodeCounterparts;
using Fabric.Client.Benchmarks;
using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Protocol.Identity;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;
using Microsoft.Extensions.Configuration;

// Evaluates/s and submits/s of Fabric.Client against the official Node client (@hyperledger/fabric-gateway) on one
// embedded network, same chaincode, same in-flight levels, alternating which client goes first in each round.
// Usage: [--seconds 5] [--warmup 2] [--rounds 3] [--inflight 1,10,50] [--modes evaluate,submit]
if (args.Length > 0 && args[0] == "load") return await DotNetLoad.RunAsync(args[1..]);

var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var seconds = double.Parse(settings["seconds"] ?? "5", CultureInfo.InvariantCulture);
var warmUp = double.Parse(settings["warmup"] ?? "2", CultureInfo.InvariantCulture);
var rounds = int.Parse(settings["rounds"] ?? "3", CultureInfo.InvariantCulture);
var levels = (settings["inflight"] ?? "1,10,50").Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
var modes = (settings["modes"] ?? "evaluate,submit").Split(',');

const string chaincodeName = "clientbench";
var data = Path.Combine(Path.GetTempPath(), $"client-bench-{Guid.NewGuid():N}");
await using var chaincode = await ChaincodeServer.StartAsync(
    new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = $"{chaincodeName}_1.0", TlsDisabled = true }, new ContractRouter(new ClientBenchContract()));
var definition = NetworkDefinition.Default();
definition.Chaincodes.Add(new ChaincodeDefinition { Name = chaincodeName, Address = $"127.0.0.1:{chaincode.Port}", EndorsementPolicy = "MAJORITY Endorsement" });
var results = new List<(string Mode, int InFlight, LoadResult DotNet, LoadResult Node)>();
await using (var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = data, Definition = definition }))
{
    var peer = network.Peers[0];
    var user = network.Client(peer.MspId);
    var environment = new NodeGatewayEnvironment(peer.Address, peer.TlsRootCertFile, peer.ServerNameOverride, peer.MspId,
        user.SignCertificateFile, user.PrivateKeyFile, network.ChannelName, chaincodeName).ToVariables();
    await SeedAsync(peer, user.Identity, user.PrivateKeyFile, network.ChannelName);

    Console.WriteLine($"Embedded network: 3 agencies, MAJORITY endorsement (2 endorsing peers), TLS; chaincode {chaincodeName} (C#, CCaaS, in the network's process).");
    Console.WriteLine($"Each client runs in its own process: {warmUp} s warm-up, then {seconds} s timed; {rounds} rounds; {Environment.ProcessorCount} cores; load average {LoadAverage()}.");
    foreach (var inFlight in levels)
        foreach (var mode in modes)
            for (var round = 1; round <= rounds; round++)
            {
                var prefix = $"{mode}-{inFlight}-{round}";
                // Alternate who goes first, so that drift in the machine's load does not favour one side.
                LoadResult dotnet, node;
                if (round % 2 == 1)
                {
                    dotnet = await Workers.RunDotNetAsync(mode, inFlight, warmUp, seconds, prefix + "-net", environment);
                    node = await Workers.RunNodeAsync(mode, inFlight, warmUp, seconds, prefix + "-node", environment);
                }
                else
                {
                    node = await Workers.RunNodeAsync(mode, inFlight, warmUp, seconds, prefix + "-node", environment);
                    dotnet = await Workers.RunDotNetAsync(mode, inFlight, warmUp, seconds, prefix + "-net", environment);
                }
                results.Add((mode, inFlight, dotnet, node));
                Console.WriteLine($"  {mode,-8} {inFlight,3} in flight, round {round}: .NET {Describe(dotnet)}   Node {Describe(node)}   .NET/Node {dotnet.Rate / node.Rate:F2}");
            }
}
Directory.Delete(data, recursive: true);

Console.WriteLine();
Console.WriteLine($"Median of {rounds} rounds (calls/s)       .NET      Node   .NET/Node");
foreach (var group in results.GroupBy(r => (r.Mode, r.InFlight)))
{
    var dotnet = Median(group.Select(r => r.DotNet.Rate));
    var node = Median(group.Select(r => r.Node.Rate));
    Console.WriteLine($"  {group.Key.Mode,-8} {group.Key.InFlight,3} in flight          {dotnet,8:F1}  {node,8:F1}   {dotnet / node,6:F2}");
}
var failed = results.Sum(r => r.DotNet.Errors + r.Node.Errors);
Console.WriteLine(failed == 0 ? "No call failed." : $"{failed} calls failed (see the rounds above); their rounds' figures are suspect.");
Console.WriteLine($"Load average at the end: {LoadAverage()}");
return failed == 0 ? 0 : 1;

static string Describe(LoadResult result) =>
    $"{result.Rate,8:F1}/s" + (result.Errors > 0 ? $" ({result.Errors} failed, first: {result.FirstError})" : "");

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

// The key the evaluate runs read, written once before timing.
static async Task SeedAsync(PeerEndpoint peer, X509Identity identity, string keyFile, string channelName)
{
    using var channel = FabricChannel.Create(peer.Uri, new FabricChannelOptions
    {
        TrustedRoots = [X509Certificate2.CreateFromPem(File.ReadAllText(peer.TlsRootCertFile))],
        ServerNameOverride = peer.ServerNameOverride,
    });
    using var signer = EcdsaSigner.FromPem(File.ReadAllText(keyFile));
    var contract = Fabric.Client.Gateway.Connect(channel, identity, signer).GetNetwork(channelName).GetContract(chaincodeName);
    await contract.SubmitTransactionAsync("Put", "seed", "seed-value");
}
