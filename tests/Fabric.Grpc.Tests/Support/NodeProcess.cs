using Fabric.Grpc.Client;
using System.Diagnostics;
using System.Threading.Channels;
using CashTransfer.Testing.NodeCounterparts;

namespace Fabric.Grpc.Tests.Support;

/// <summary>
/// A Node script from tests/interop/node run as a child process; its stdout is read line by line.
/// Disposing closes its stdin and kills it.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly List<string> stderr = [];

    private NodeProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) lines.Writer.TryComplete();
            else lines.Writer.TryWrite(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static NodeProcess Start(string script, params string[] arguments)
    {
        InteropNodeFolder.WithPackages(OfficialNodePackages.GrpcJs);
        return new NodeProcess(NodeScript.Start(script, arguments));
    }

    public string Stderr { get { lock (stderr) return string.Join('\n', stderr); } }

    /// <summary>The next stdout line that starts with <paramref name="prefix"/>, skipping others.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancellation.Token))
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
        }
        catch (OperationCanceledException) { }
        throw new InvalidOperationException($"node printed no line starting with '{prefix}' within {timeout}; stderr: {Stderr}");
    }

    /// <summary>Every stdout line until the process exits.</summary>
    public async Task<List<string>> ReadToEndAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var all = new List<string>();
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancellation.Token)) all.Add(line);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"node did not finish within {timeout}; output so far: {string.Join('\n', all)}; stderr: {Stderr}");
        }
        return all;
    }

    public void Dispose()
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(500)) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}
