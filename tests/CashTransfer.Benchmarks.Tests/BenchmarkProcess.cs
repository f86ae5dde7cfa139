using System.Diagnostics;

namespace CashTransfer.Benchmarks.Tests;

/// <summary>
/// A benchmark of this repository run as `make bench` runs it: <c>dotnet benchmarks/&lt;name&gt;/bin/&lt;configuration&gt;/net10.0/&lt;name&gt;.dll</c>,
/// in the configuration these tests were built in, killed with its children if it outlasts its time.
/// </summary>
internal static class BenchmarkProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string name, TimeSpan timeout, params string[] arguments)
    {
        var dll = Path.Combine(RepositoryRoot(), "benchmarks", name, "bin", Configuration(), "net10.0", name + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is missing: build the solution first (make build).", dll);
        var start = new ProcessStartInfo(DotNet(), [dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot(),
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"{name} did not finish within {timeout}; killed.\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CashTransfer.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No folder holding CashTransfer.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Release or Debug: the folder above this test assembly's framework folder.</summary>
    private static string Configuration() => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The dotnet host running these tests (the test runner sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotNet() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
