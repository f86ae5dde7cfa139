using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fabric.Network.Conformance.Tests.Support;

/// <summary>
/// The official Node chaincode (fabric-contract-api) in server mode, as chaincode-as-a-service without TLS:
/// <c>fabric-chaincode-node server --chaincode-address 127.0.0.1:port --chaincode-id id</c>.
/// </summary>
public sealed class NodeChaincodeServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private NodeChaincodeServer(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>What the chaincode process wrote, for failure messages.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    public static async Task<NodeChaincodeServer> StartAsync(string chaincodeId)
    {
        var port = FreeLoopbackPort();
        var modulePath = Path.Combine(RepositoryRoot.InteropNodeFolder, "conformance", "node-chaincode");
        var process = NodeRuntime.Start(Path.Combine("node_modules", "fabric-shim", "cli.js"),
            ["server", "--chaincode-address", $"127.0.0.1:{port}", "--chaincode-id", chaincodeId, "--module-path", modulePath],
            new Dictionary<string, string> { ["CHAINCODE_TLS_DISABLED"] = "true", ["CORE_CHAINCODE_LOGGING_LEVEL"] = "warning" });
        process.StandardInput.Close();
        var server = new NodeChaincodeServer(process, port);
        try
        {
            await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"fabric-chaincode-node server exited with {_process.ExitCode}: {Log}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    // Node picks no ephemeral port for us, so take one the OS hands out and release it just before Node binds it.
    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
