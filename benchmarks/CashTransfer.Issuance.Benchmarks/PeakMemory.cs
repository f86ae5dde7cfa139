namespace CashTransfer.Issuance.Benchmarks;

/// <summary>A process's peak resident set size (VmHWM in /proc/PID/status; Linux).</summary>
internal static class PeakMemory
{
    public static long Of(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
        return 0;
    }

    public static long OfThisProcess => Of(Environment.ProcessId);

    /// <summary>
    /// Starts this process's peak afresh from its present size, after a full collection (writing 5 to clear_refs resets
    /// VmHWM): what the benchmark's own client held before (the upload, read whole to sign it) then no longer counts.
    /// </summary>
    public static void ResetThisProcess()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    public static string MiB(long bytes) => $"{bytes / (1024.0 * 1024):F0} MiB";
}
