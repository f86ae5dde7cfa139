using System.Diagnostics;
using CashTransfer.Testing.NodeCounterparts;

namespace CashTransfer.Benchmarks.Tests;

/// <summary>
/// A benchmark of this repository run as `make bench` runs it: <c>dotnet benchmarks/&lt;name&gt;/bin/&lt;configuration&gt;/net10.0/&lt;name&gt;.dll</c>,
/// in the configuration these tests were built in (<see cref="ChildProcess.RunAsync"/>: a non-zero exit or a hang fails).
/// </summary>
internal static class BenchmarkProcess
{
    public static Task<string> RunAsync(string name, TimeSpan timeout, params string[] arguments)
    {
        var dll = Path.Combine(RepositoryRoot.Path, "benchmarks", name, "bin", Configuration(), "net10.0", name + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is missing: build the solution first (make build).", dll);
        return ChildProcess.RunAsync(new ProcessStartInfo(DotNet(), [dll, .. arguments]) { WorkingDirectory = RepositoryRoot.Path }, timeout);
    }

    /// <summary>Release or Debug: the folder above this test assembly's framework folder.</summary>
    private static string Configuration() => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The dotnet host running these tests (the test runner sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotNet() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
