using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Fabric.Client.Benchmarks;

/// <summary>
/// Starts one load run in a child process: this program in <c>load</c> mode (Fabric.Client) or
/// tests/interop/node/bench/client-load.js (@hyperledger/fabric-gateway), with the same arguments and environment,
/// so that neither client shares a process (or its thread pool) with the network.
/// </summary>
internal static class Workers
{
    public static Task<LoadResult> RunDotNetAsync(string mode, int inFlight, double warmUp, double seconds, string prefix, IReadOnlyDictionary<string, string> environment)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable path is unknown.");
        var arguments = new List<string>();
        // Under `dotnet Fabric.Client.Benchmarks.dll` the process is the dotnet host; pass the assembly to it.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") arguments.Add(typeof(Workers).Assembly.Location);
        arguments.AddRange(["load", .. LoadArguments(mode, inFlight, warmUp, seconds, prefix)]);
        return RunAsync(self, arguments, Environment.CurrentDirectory, environment, warmUp + seconds);
    }

    public static Task<LoadResult> RunNodeAsync(string mode, int inFlight, double warmUp, double seconds, string prefix, IReadOnlyDictionary<string, string> environment) =>
        RunAsync("node", [Path.Combine("bench", "client-load.js"), .. LoadArguments(mode, inFlight, warmUp, seconds, prefix)],
            RepositoryRoot.InteropNodeFolder, environment, warmUp + seconds);

    private static string[] LoadArguments(string mode, int inFlight, double warmUp, double seconds, string prefix) =>
        [mode, inFlight.ToString(CultureInfo.InvariantCulture), warmUp.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), prefix];

    private static async Task<LoadResult> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, double expectedSeconds)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // Generous: the calls still in flight when the window closes may wait for their deadlines.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(expectedSeconds + 120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish. stderr: {await errors}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await errors}");
        var lastLine = (await output).Trim().Split('\n')[^1];
        return JsonSerializer.Deserialize<LoadResult>(lastLine) ?? throw new InvalidOperationException($"{program} printed no result: {lastLine}");
    }
}
