using CashTransfer.Chaincode.Benchmarks;
using CashTransfer.Local;
using Fabric.Client.Configuration;
using Fabric.Network.Benchmarks;
using Fabric.Network.Configuration;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;
using Spectre.Console;

// Redemptions/s end to end (signed receipts from many terminals, each redeem endorsed, ordered, validated and
// committed) next to plain single-key writes through the same network in the same run, as a ratio.
//   (no arguments) [seconds]     embedded network: 3 agencies, MAJORITY endorsement, TLS; reference = WriteContract
//   fabric CLIENTS_DIR [seconds] the real network/fabric network (its clients/ folder); reference = probe-dotnet put
const int Clients = 50;
var fabric = args.Length > 0 && args[0] == "fabric";
var rest = fabric ? args.Skip(2).ToArray() : args;
var duration = TimeSpan.FromSeconds(rest.Length > 0 ? int.Parse(rest[0]) : 10);

if (fabric)
{
    var clients = args.Length > 1 ? args[1] : throw new ArgumentException("usage: fabric CLIENTS_DIR [seconds]");
    var agency = Directory.GetFiles(clients, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).First()!;
    // Endorsements that differ between two agencies' peers are endorsed again (Fabric.Client's resilience options).
    var retries = new CountedRetries();
    GatewayConnection Open(string file) => GatewayConnection.Open(GatewaySettings.Load(Path.Combine(clients, file)), retries.Options());
    using var op = Open($"roles/{agency}-operator.json");
    using var gw = Open($"roles/{agency}-gateway.json");
    using var plain = Open($"{agency}.json");
    Console.WriteLine($"Real Fabric 2.5 network ({clients}), through {agency}'s gateway peer, {Clients} concurrent clients, {duration.TotalSeconds:F0} s per run");
    await MeasureAsync(
        op.Gateway.GetNetwork(op.Settings.Channel!).GetContract("cashtransfer"), gw.Gateway.GetNetwork(gw.Settings.Channel!).GetContract("cashtransfer"),
        plain.Gateway.GetNetwork(plain.Settings.Channel!).GetContract("probe-dotnet"), "put", "probe-dotnet put (our .NET shim)");
    Console.WriteLine($"  retried: {retries.EndorsementMismatches} endorsements after a mismatch between peers, {retries.OtherTransient} calls after another transient failure");
}
else
{
    var data = Directory.CreateTempSubdirectory("cashtransfer-bench-").FullName;
    var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
    await using (var writes = await ChaincodeServer.StartAsync(new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = "bench_1.0", TlsDisabled = true }, new ContractRouter(new WriteContract())))
    await using (var stack = await LocalStack.StartAsync(data, console, new ChaincodeDefinition { Name = "bench", Address = $"127.0.0.1:{writes.Port}" }))
    {
        Console.WriteLine($"Embedded network: 3 agencies, MAJORITY endorsement (2 endorsing peers), TLS, {Environment.ProcessorCount} cores, {Clients} concurrent clients, {duration.TotalSeconds:F0} s per run");
        await MeasureAsync(stack.ContractAs("WFPMSP", "Operator"), stack.ContractAs("WFPMSP", "Gateway"), stack.ContractAs("WFPMSP", "User1", "bench"), "Write", "WriteContract (one read, one write)");
    }
    Directory.Delete(data, recursive: true);
}

async Task MeasureAsync(Fabric.Client.Contract op, Fabric.Client.Contract gateway, Fabric.Client.Contract reference, string referenceFunction, string referenceName)
{
    using var load = new RedemptionLoad(op, gateway, Clients);
    await load.SetUpAsync();
    await WriteLoad.RunAsync(reference, referenceFunction, 4, TimeSpan.FromSeconds(2)); // warm-up of both paths
    await load.RunAsync(TimeSpan.FromSeconds(2));
    var writes = await WriteLoad.RunAsync(reference, referenceFunction, Clients, duration);
    var redemptions = await load.RunAsync(duration);
    Console.WriteLine($"  reference, {referenceName}: {writes,8:F1} writes/s");
    Console.WriteLine($"  CashTransfer Redeem (signed receipts):   {redemptions,8:F1} redemptions/s");
    Console.WriteLine($"  redemptions/s / writes/s: {redemptions / writes:F2}");
}
