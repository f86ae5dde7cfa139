using Grpc.Net.Client;
using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Grpc.Tests.Support;

namespace Fabric.Grpc.Tests.Interop;

/// <summary>
/// grpc-js servers of the test service, one per transport mode, sharing a test PKI written as PEM files.
/// (grpc-js 1.14 never compresses responses, so compressed messages are tested the other way round.)
/// </summary>
public sealed class GrpcJsServerFixture : IAsyncLifetime
{
    private readonly Dictionary<TransportMode, (NodeProcess Process, int Port)> servers = [];
    private readonly string pemDirectory = Path.Combine(Path.GetTempPath(), "grpc-interop-" + Guid.NewGuid().ToString("N"));

    public TestPki Pki { get; } = TestPki.Create();

    public async Task InitializeAsync()
    {
        Pki.WritePem(pemDirectory);
        servers[TransportMode.H2c] = await StartAsync();
        servers[TransportMode.Tls] = await StartAsync("--tls", pemDirectory);
        servers[TransportMode.MutualTls] = await StartAsync("--tls", pemDirectory, "--mtls");
    }

    public NodeProcess Server(TransportMode mode) => servers[mode].Process;

    public GrpcChannel Channel(TransportMode mode, FabricChannelOptions? options = null)
    {
        options ??= new FabricChannelOptions();
        var port = servers[mode].Port;
        if (mode == TransportMode.H2c) return FabricChannel.Create(new Uri($"http://127.0.0.1:{port}"), options);
        options.TrustedRoots = Pki.Roots;
        if (mode == TransportMode.MutualTls) options.ClientCertificate = Pki.Client;
        return FabricChannel.Create(new Uri($"https://127.0.0.1:{port}"), options);
    }

    private static async Task<(NodeProcess, int)> StartAsync(params string[] arguments)
    {
        var process = NodeProcess.Start("grpc/server.js", arguments);
        var line = await process.WaitForLineAsync("PORT ", TimeSpan.FromSeconds(30));
        return (process, int.Parse(line["PORT ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task DisposeAsync()
    {
        foreach (var (process, _) in servers.Values) process.Dispose();
        try { Directory.Delete(pemDirectory, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
