using System.Diagnostics;

namespace CashTransfer.Testing.NodeCounterparts;

/// <summary>
/// A script of tests/interop/node run as <c>node script arguments…</c> in that folder, so that it finds the official
/// packages in its node_modules. Settings travel in environment variables, results come back on standard output.
/// </summary>
public static class NodeScript
{
    /// <summary>How to start <paramref name="script"/> (relative to tests/interop/node, or absolute), with all three standard streams redirected.</summary>
    public static ProcessStartInfo StartInfo(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var folder = InteropNodeFolder.Path;
        var path = System.IO.Path.Combine(folder, script);
        if (!File.Exists(path)) throw new FileNotFoundException($"Node script {path} is missing.");
        if (!Directory.Exists(System.IO.Path.Combine(folder, "node_modules")))
            throw new InvalidOperationException($"{folder}/node_modules is missing: run `make deps` (npm ci in tests/interop/node) first.");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return start;
    }

    /// <summary>Starts the script and leaves its streams to the caller (close standard input when it reads none).</summary>
    public static Process Start(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.Start(StartInfo(script, arguments, environment));

    /// <summary>
    /// Runs the script to its end, writing <paramref name="input"/> to its standard input, and returns its standard output.
    /// A non-zero exit throws <see cref="InvalidOperationException"/> and a timeout <see cref="TimeoutException"/>, both with its standard error.
    /// </summary>
    public static Task<string> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout, string? input = null) =>
        ChildProcess.RunAsync(StartInfo(script, arguments, environment), timeout, input);
}
