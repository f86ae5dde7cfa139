using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace CashTransfer.Chaos.Processes;

/// <summary>
/// One part of the stack running as its own process in its own process group (started through <c>setsid</c>), so that
/// a SIGKILL of the group takes it down at once with anything it started, as a crash or an OOM kill would. Its output
/// goes to a log file; error entries (JSON <c>"LogLevel":"Error|Critical"</c>, console <c>fail:</c>/<c>crit:</c>,
/// unhandled exceptions) are counted as they arrive.
/// </summary>
public sealed partial class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly List<string> _errorSamples = [];
    private int _errorEntries;
    private bool _killed;

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ErrorEntries => Volatile.Read(ref _errorEntries);

    /// <summary>The first few error entries, for the report.</summary>
    public IReadOnlyList<string> ErrorSamples { get { lock (_errorSamples) return [.. _errorSamples]; } }

    /// <summary>Starts <c>dotnet &lt;dll&gt; args</c> in a new session (its own process group), appending its output to <paramref name="logFile"/>.</summary>
    public static ChildProcess Start(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logFile)
    {
        var info = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // setsid execs in place (the child is not a group leader), so the pid we hold is the new group's id.
        info.ArgumentList.Add(DotnetHost());
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        if (!process.Start()) throw new InvalidOperationException($"Could not start {name}.");
        ProcessRegistry.Add(process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log.WriteLine($"---- {name} started, pid {process.Id}, {DateTimeOffset.UtcNow:O}");
        return child;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_log) _log.WriteLine(line);
        if (!ErrorEntry().IsMatch(line)) return;
        Interlocked.Increment(ref _errorEntries);
        lock (_errorSamples) if (_errorSamples.Count < 10) _errorSamples.Add(line.Length > 600 ? line[..600] + "..." : line);
    }

    [GeneratedRegex("\"LogLevel\":\"(Error|Critical)\"|^(\\d\\d:\\d\\d:\\d\\d )?(fail|crit): |Unhandled exception", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorEntry();

    /// <summary>SIGKILL to the whole process group, then waits (bounded) for the process to be gone.</summary>
    public void Kill()
    {
        if (_killed) return;
        _killed = true;
        if (!_process.HasExited) ProcessRegistry.KillGroup(_process.Id);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) throw new InvalidOperationException($"{Name} (pid {Pid}) survived SIGKILL for 10 s.");
        ProcessRegistry.Remove(_process.Id);
        lock (_log) _log.WriteLine($"---- {Name} killed (SIGKILL to group {_process.Id}), {DateTimeOffset.UtcNow:O}");
    }

    /// <summary>The resident set (VmRSS) in bytes, 0 when the process is gone.</summary>
    public long WorkingSetBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { }
        return 0;
    }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}

/// <summary>
/// Every process group this program started and has not killed yet: killed on exit (normal, exception, Ctrl+C,
/// SIGTERM), so that a failing suite leaves nothing running.
/// </summary>
public static class ProcessRegistry
{
    private static readonly HashSet<int> Groups = [];
    private static readonly PosixSignalRegistration[] Handlers;

    static ProcessRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Handlers =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillAll()),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll()),
        ];
    }

    public static void Add(int group) { lock (Groups) Groups.Add(group); }

    public static void Remove(int group) { lock (Groups) Groups.Remove(group); }

    public static void KillGroup(int group) => _ = Kill(-group, Sigkill);

    public static void KillAll()
    {
        int[] groups;
        lock (Groups) { groups = [.. Groups]; Groups.Clear(); }
        foreach (var group in groups) KillGroup(group);
    }

    private const int Sigkill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
