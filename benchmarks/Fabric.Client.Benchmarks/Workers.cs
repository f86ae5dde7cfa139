using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CashTransfer.Testing.NodeCounterparts;

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
        var start = new ProcessStartInfo(self);
        // Under `dotnet Fabric.Client.Benchmarks.dll` the process is the dotnet host; pass the assembly to it.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(Workers).Assembly.Location);
        start.ArgumentList.Add("load");
        foreach (var argument in LoadArguments(mode, inFlight, warmUp, seconds, prefix)) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return RunAsync(start, warmUp + seconds);
    }

    public static Task<LoadResult> RunNodeAsync(string mode, int inFlight, double warmUp, double seconds, string prefix, IReadOnlyDictionary<string, string> environment)
    {
        InteropNodeFolder.WithPackages(OfficialNodePackages.FabricGateway);
        return RunAsync(NodeScript.StartInfo(Path.Combine("bench", "client-load.js"), LoadArguments(mode, inFlight, warmUp, seconds, prefix), environment), warmUp + seconds);
    }

    private static string[] LoadArguments(string mode, int inFlight, double warmUp, double seconds, string prefix) =>
        [mode, inFlight.ToString(CultureInfo.InvariantCulture), warmUp.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), prefix];

    private static async Task<LoadResult> RunAsync(ProcessStartInfo start, double expectedSeconds)
    {
        // Generous: the calls still in flight when the window closes may wait for their deadlines.
        var output = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(expectedSeconds + 120));
        var lastLine = output.Trim().Split('\n')[^1];
        return JsonSerializer.Deserialize<LoadResult>(lastLine) ?? throw new InvalidOperationException($"{start.FileName} printed no result: {lastLine}");
    }
}
