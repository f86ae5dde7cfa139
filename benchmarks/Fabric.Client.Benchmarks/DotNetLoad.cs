using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Protocol.Identity;

namespace Fabric.Client.Benchmarks;

/// <summary>
/// The .NET side of the load, run in its own process like the Node worker (tests/interop/node/bench/client-load.js):
/// the same arguments, the same environment, the same loop and the same deadlines, with Fabric.Client.
/// </summary>
internal static class DotNetLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 5 || args[0] is not ("evaluate" or "submit"))
            throw new ArgumentException("usage: load evaluate|submit <in-flight> <warm-up seconds> <seconds> <key prefix>");
        var (mode, inFlight, warmUp, window, prefix) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), double.Parse(args[2], CultureInfo.InvariantCulture), double.Parse(args[3], CultureInfo.InvariantCulture), args[4]);

        using var channel = FabricChannel.Create(new Uri($"https://{Setting("PEER_ADDRESS")}"), new FabricChannelOptions
        {
            TrustedRoots = [X509Certificate2.CreateFromPem(File.ReadAllText(Setting("TLS_ROOT_CERT")))],
            ServerNameOverride = Setting("SERVER_NAME"),
        });
        using var signer = EcdsaSigner.FromPem(File.ReadAllText(Setting("KEY_PATH")));
        var identity = new X509Identity(Setting("MSP_ID"), File.ReadAllText(Setting("CERT_PATH")));
        // The deadlines gateway-connection.js gives the Node client.
        var options = new GatewayOptions
        {
            EvaluateTimeout = TimeSpan.FromSeconds(15),
            EndorseTimeout = TimeSpan.FromSeconds(30),
            SubmitTimeout = TimeSpan.FromSeconds(15),
            CommitStatusTimeout = TimeSpan.FromSeconds(60),
        };
        var contract = Gateway.Connect(channel, identity, signer, options).GetNetwork(Setting("CHANNEL")).GetContract(Setting("CHAINCODE"));
        Func<int, string, Task> call = mode == "evaluate"
            ? (_, _) => contract.EvaluateTransactionAsync("Get", "seed")
            : (worker, i) => contract.SubmitTransactionAsync("Put", $"{prefix}-{worker}-{i}", "v");

        await LoadAsync(call, inFlight, "warm", TimeSpan.FromSeconds(warmUp));
        var result = await LoadAsync(call, inFlight, "timed", TimeSpan.FromSeconds(window));
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static async Task<LoadResult> LoadAsync(Func<int, string, Task> call, int inFlight, string phase, TimeSpan duration)
    {
        long calls = 0, errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async worker =>
        {
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                try
                {
                    await call(worker, $"{phase}-{i}");
                    Interlocked.Increment(ref calls);
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                }
            }
        }));
        return new LoadResult(calls, errors, clock.Elapsed.TotalSeconds, firstError ?? "");
    }

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"environment variable {name} is not set");
}
