using System.Diagnostics;
using CashTransfer.Local;
using Fabric.Network.Configuration;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;
using Spectre.Console;

namespace CashTransfer.Issuance.Benchmarks;

/// <summary>
/// The chaincode servers and the embedded network in a process of their own, so that the benchmark's process holds
/// only the gateway service (and the benchmark's client): its peak memory is then the service's.
/// </summary>
internal sealed class ChildStack : IAsyncDisposable
{
    public const string Mode = "stack";
    public const string ReferenceChaincode = "plainwrite";
    private const string Ready = "ready";

    private readonly Process _process;

    private ChildStack(Process process) => _process = process;

    /// <summary>Runs in the child: serves until standard input closes.</summary>
    public static async Task ServeAsync(string dataDirectory)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        await using var writes = await ChaincodeServer.StartAsync(
            new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = $"{ReferenceChaincode}_1.0", TlsDisabled = true }, new ContractRouter(new PlainWriteContract()));
        await using var stack = await LocalStack.StartAsync(dataDirectory, console, new ChaincodeDefinition { Name = ReferenceChaincode, Address = $"127.0.0.1:{writes.Port}" });
        Console.WriteLine(Ready);
        await Console.In.ReadToEndAsync();
    }

    public static async Task<ChildStack> StartAsync(string dataDirectory)
    {
        var self = typeof(ChildStack).Assembly.Location;
        var host = Environment.ProcessPath!;
        var info = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(self);
        info.ArgumentList.Add(Mode);
        info.ArgumentList.Add(dataDirectory);
        var process = Process.Start(info)!;
        var line = await process.StandardOutput.ReadLineAsync();
        if (line != Ready)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the network process did not start (it wrote '{line}').");
        }
        return new ChildStack(process);
    }

    /// <summary>The child's peak resident memory so far.</summary>
    public long PeakMemoryBytes => PeakMemory.Of(_process.Id);

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
