using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fabric.Shim.Benchmarks;

/// <summary>
/// One chaincode server in its own process, as chaincode-as-a-service without TLS: this program in
/// <c>chaincode</c> mode (our shim) or <c>fabric-chaincode-node server</c> (the official Node shim). Each side gets
/// a process of its own, so neither shares a thread pool or an event loop with the network.
/// </summary>
internal sealed class ChaincodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ChaincodeProcess(Process process, int port)
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

    /// <summary>What the process wrote, for failure messages.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Our shim: this program again, in chaincode mode, configured like any CCaaS chaincode by CHAINCODE_* variables.</summary>
    public static Task<ChaincodeProcess> StartDotNetAsync(string chaincodeId)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable path is unknown.");
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(self);
        // Under `dotnet Fabric.Shim.Benchmarks.dll` the process is the dotnet host; pass the assembly to it.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ChaincodeProcess).Assembly.Location);
        start.ArgumentList.Add("chaincode");
        start.Environment["CHAINCODE_SERVER_ADDRESS"] = $"127.0.0.1:{port}";
        start.Environment["CHAINCODE_ID"] = chaincodeId;
        start.Environment["CHAINCODE_TLS_DISABLED"] = "true";
        return StartAsync(start, port);
    }

    /// <summary>The official Node shim: fabric-shim's CLI in server mode with the Node copy of the contract.</summary>
    /// <param name="chaincodeId">The CCaaS chaincode id.</param>
    /// <param name="noDelay">Preload bench/server-nodelay.js: TCP_NODELAY on accepted sockets (an experiment, not the official setup).</param>
    public static Task<ChaincodeProcess> StartNodeAsync(string chaincodeId, bool noDelay)
    {
        var folder = InteropNodeFolder();
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder };
        if (noDelay) { start.ArgumentList.Add("-r"); start.ArgumentList.Add(Path.Combine(folder, "bench", "server-nodelay.js")); }
        foreach (var argument in new[]
                 {
                     Path.Combine("node_modules", "fabric-shim", "cli.js"), "server", "--chaincode-address", $"127.0.0.1:{port}",
                     "--chaincode-id", chaincodeId, "--module-path", Path.Combine(folder, "bench", "shim-contract"),
                 })
            start.ArgumentList.Add(argument);
        start.Environment["CHAINCODE_TLS_DISABLED"] = "true";
        start.Environment["CORE_CHAINCODE_LOGGING_LEVEL"] = "warning";
        return StartAsync(start, port);
    }

    private static async Task<ChaincodeProcess> StartAsync(ProcessStartInfo start, int port)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var chaincode = new ChaincodeProcess(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start."), port);
        try
        {
            await chaincode.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
            return chaincode;
        }
        catch
        {
            await chaincode.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"chaincode server exited with {_process.ExitCode}: {Log}");
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

    // Node's shim cannot report an ephemeral port, so take one the OS hands out and release it just before the server binds it.
    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string InteropNodeFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CashTransfer.sln")))
            {
                var node = Path.Combine(dir.FullName, "tests", "interop", "node");
                if (!File.Exists(Path.Combine(node, "node_modules", "fabric-shim", "cli.js")))
                    throw new InvalidOperationException($"{node}/node_modules lacks fabric-shim: run `make deps` first");
                return node;
            }
        throw new InvalidOperationException($"No CashTransfer.sln above {AppContext.BaseDirectory}");
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
