using Fabric.Grpc.Client;
using System.Text.Json;
using Grpc.Core;
using Fabric.Grpc.Server;
using Fabric.Grpc.Tests.Support;

namespace Fabric.Grpc.Tests.Interop;

/// <summary>
/// Our server in each transport mode, driven by the grpc-js client (tests/interop/node/grpc/client.js),
/// which runs every scenario once and prints what it observed. A fourth run has grpc-js gzip-compress
/// its requests to a server with a 100 kB limit.
/// </summary>
public sealed class GrpcJsClientFixture : IAsyncLifetime
{
    public const string GzipRun = "gzip";

    private static readonly string[] Scenarios =
    [
        "unary", "server-stream", "bidi", "bidi-pingpong", "deadline", "cancel", "bidi-cancel", "server-cancel",
        "status", "details", "unimplemented", "throw", "size-request", "size-response", "concurrent",
    ];

    private readonly Dictionary<string, Dictionary<string, JsonElement>> results = [];
    private readonly Dictionary<string, CallObserver> observers = [];
    private readonly string pemDirectory = Path.Combine(Path.GetTempPath(), "grpc-interop-" + Guid.NewGuid().ToString("N"));

    public TestPki Pki { get; } = TestPki.Create();

    public async Task InitializeAsync()
    {
        Pki.WritePem(pemDirectory);
        var runs = new[]
        {
            RunAsync(TransportMode.H2c.ToString(), new GrpcServerOptions(), Scenarios),
            RunAsync(TransportMode.Tls.ToString(), new GrpcServerOptions { ServerCertificate = Pki.Server }, Scenarios, "--tls", pemDirectory),
            RunAsync(TransportMode.MutualTls.ToString(), new GrpcServerOptions { ServerCertificate = Pki.Server, ClientCertificateRoots = Pki.Roots }, Scenarios, "--tls", pemDirectory, "--mtls"),
            RunAsync(GzipRun, new GrpcServerOptions { MaxReceiveMessageSize = 100_000 }, ["gzip-echo", "gzip-over-limit", "bidi"], "--gzip"),
        };
        await Task.WhenAll(runs);
    }

    /// <summary>What grpc-js observed in <paramref name="scenario"/> of run <paramref name="run"/>.</summary>
    public JsonElement Result(string run, string scenario)
    {
        var result = results[run][scenario];
        if (result.TryGetProperty("error", out var error))
            throw new InvalidOperationException($"grpc-js client failed in {run}/{scenario}: {error}");
        return result;
    }

    public CallObserver Observer(string run) => observers[run];

    private async Task RunAsync(string run, GrpcServerOptions options, string[] scenarios, params string[] arguments)
    {
        var observer = new CallObserver();
        observers[run] = observer;
        await using var server = await GrpcServer.StartAsync(options, EchoService.Definition(observer));
        using var client = NodeProcess.Start("grpc/client.js",
            [.. arguments, "--target", $"127.0.0.1:{server.Port}", "--scenarios", string.Join(',', scenarios)]);
        var lines = await client.ReadToEndAsync(TimeSpan.FromSeconds(90));
        var parsed = new Dictionary<string, JsonElement>();
        foreach (var line in lines.Where(l => l.StartsWith('{')))
        {
            var element = JsonDocument.Parse(line).RootElement.Clone();
            parsed[element.GetProperty("scenario").GetString()!] = element;
        }
        var missing = scenarios.Where(s => !parsed.ContainsKey(s)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"grpc-js client ({run}) reported nothing for {string.Join(", ", missing)}; output: {string.Join('\n', lines)}; stderr: {client.Stderr}");
        lock (results) results[run] = parsed;
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(pemDirectory, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
