using System.ComponentModel;
using System.Diagnostics;

namespace Fabric.Protocol.Tests.Interop;

/// <summary>
/// Runs a Node script from tests/interop/node as a child process (the official Fabric packages are the
/// counterpart). Missing Node or missing node_modules fail the test with what to do; they never skip it.
/// </summary>
public static class NodeScript
{
    public static string InteropFolder => Path.Combine(RepositoryRoot.Path, "tests", "interop", "node");

    /// <summary>Runs <c>node relativeScript args</c>, writes <paramref name="stdin"/>, returns stdout; throws on a non-zero exit.</summary>
    public static string Run(string relativeScript, string arguments, string? stdin = null, int timeoutSeconds = 60)
    {
        var script = Path.Combine(InteropFolder, relativeScript);
        if (!File.Exists(script)) throw new FileNotFoundException($"Node interop script {script} is missing.");
        if (!File.Exists(Path.Combine(InteropFolder, "node_modules", "@hyperledger", "fabric-protos", "package.json")))
            throw new InvalidOperationException(
                $"{InteropFolder}/node_modules is missing: run `make deps` (npm ci in tests/interop/node) before the interop tests.");

        var start = new ProcessStartInfo("node", $"\"{script}\" {arguments}")
        {
            WorkingDirectory = InteropFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("Node.js (`node`) is not on PATH; the interop tests need it.", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (stdin is not null) process.StandardInput.Write(stdin);
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node {relativeScript} {arguments} did not finish in {timeoutSeconds} s.");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"node {relativeScript} {arguments} exited with {process.ExitCode}: {errors.Result}");
            return output.Result;
        }
    }
}
