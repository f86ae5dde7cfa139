using Grpc.Core;
using Fabric.Grpc.Benchmarks;
using Fabric.Grpc.Client;
using Fabric.Grpc.Server;
using Spectre.Console;

// Throughput of our gRPC transport against @grpc/grpc-js, all four pairings in one run on loopback h2c,
// reported as ratios to grpc-js -> grpc-js so that the machine's speed and load cancel out.
var duration = TimeSpan.FromSeconds(2);
var warmup = TimeSpan.FromSeconds(0.5);
const int Concurrency = 32;

await using var csharpServer = await GrpcServer.StartAsync(new GrpcServerOptions(), EchoBenchService.Definition());
var (nodeServer, nodePort) = NodeCounterpart.StartServer();
var results = new List<(string Pairing, double Unary, double Duplex)>();
try
{
    async Task<(double, double)> MeasureCSharpClientAsync(int port)
    {
        using var channel = FabricChannel.Create(new Uri($"http://127.0.0.1:{port}"));
        await CSharpLoad.UnaryRateAsync(channel, warmup, Concurrency);
        var unary = await CSharpLoad.UnaryRateAsync(channel, duration, Concurrency);
        var duplex = await CSharpLoad.DuplexRateAsync(channel, duration);
        return (unary, duplex);
    }

    AnsiConsole.MarkupLine($"[grey]Each load runs {duration.TotalSeconds} s after a {warmup.TotalSeconds} s warm-up; unary with {Concurrency} calls in flight, duplex on one stream with up to 256 messages in flight; 100-byte payload, h2c on loopback.[/]");
    var (u1, d1) = await MeasureCSharpClientAsync(csharpServer.Port);
    results.Add(("C# -> C#", u1, d1));
    var (u2, d2) = await MeasureCSharpClientAsync(nodePort);
    results.Add(("C# -> grpc-js", u2, d2));
    var (u3, d3) = await NodeCounterpart.RunClientAsync(csharpServer.Port, duration, Concurrency);
    results.Add(("grpc-js -> C#", u3, d3));
    var (u4, d4) = await NodeCounterpart.RunClientAsync(nodePort, duration, Concurrency);
    results.Add(("grpc-js -> grpc-js", u4, d4));
}
finally
{
    NodeCounterpart.Stop(nodeServer);
}

var reference = results[^1];
var table = new Table().AddColumns("client -> server", "unary calls/s", "ratio", "duplex msgs/s", "ratio");
foreach (var (pairing, unary, duplex) in results)
    table.AddRow(pairing, $"{unary:N0}", $"{unary / reference.Unary:0.00}x", $"{duplex:N0}", $"{duplex / reference.Duplex:0.00}x");
AnsiConsole.Write(table);
AnsiConsole.MarkupLine("[grey]ratio = against grpc-js -> grpc-js measured in this same run.[/]");
