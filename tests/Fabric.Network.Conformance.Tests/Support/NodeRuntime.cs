using System.ComponentModel;
using System.Diagnostics;

namespace Fabric.Network.Conformance.Tests.Support;

/// <summary>
/// Starts <c>node</c> in tests/interop/node, where the official Fabric packages are installed. Missing Node
/// or missing node_modules fail the test with what to do; they never skip it.
/// </summary>
public static class NodeRuntime
{
    public static Process Start(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var folder = RepositoryRoot.InteropNodeFolder;
        var path = Path.Combine(folder, script);
        if (!File.Exists(path)) throw new FileNotFoundException($"Node script {path} is missing.");
        foreach (var package in new[] { "@hyperledger/fabric-gateway", "fabric-contract-api", "fabric-shim" })
            if (!File.Exists(Path.Combine(folder, "node_modules", package, "package.json")))
                throw new InvalidOperationException($"{folder}/node_modules/{package} is missing: run `make deps` (npm ci in tests/interop/node) before the conformance tests.");

        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("Node.js (`node`) is not on PATH; the conformance tests need it.", e);
        }
    }

    /// <summary>Runs a script to its end and returns its standard output; a non-zero exit or a timeout throws with its standard error.</summary>
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        using var process = Start(script, arguments, environment);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish in {timeout.TotalSeconds} s. stderr: {await errors}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"node {script} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}");
        return await output;
    }
}
