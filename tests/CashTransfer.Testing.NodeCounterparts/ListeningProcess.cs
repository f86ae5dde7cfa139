using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CashTransfer.Testing.NodeCounterparts;

/// <summary>
/// A server in a child process on a loopback port chosen beforehand (<see cref="LoopbackPort.Free"/>): ready once the
/// port accepts a connection, its output kept for failure messages, the whole process tree killed on dispose.
/// </summary>
public sealed class ListeningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ListeningProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>127.0.0.1:port, as a CCaaS chaincode address.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>What the process wrote to standard output and standard error.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>
    /// Starts <paramref name="start"/> (its output is redirected here) and waits until 127.0.0.1:<paramref name="port"/>
    /// accepts a connection. Exiting first or a timeout throws with what the process wrote.
    /// </summary>
    public static async Task<ListeningProcess> StartAsync(ProcessStartInfo start, int port, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = ChildProcess.Start(start);
        if (start.RedirectStandardInput) process.StandardInput.Close();
        var server = new ListeningProcess(process, port);
        try
        {
            await server.WaitUntilListeningAsync(start.FileName, timeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(string program, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{program} exited with {_process.ExitCode} before listening on {Address}: {Log}");
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
            catch (SocketException e)
            {
                throw new TimeoutException($"{program} did not listen on {Address} within {timeout.TotalSeconds} s: {Log}", e);
            }
        }
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
