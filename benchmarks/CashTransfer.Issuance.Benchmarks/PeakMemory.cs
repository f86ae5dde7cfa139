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

    public static string MiB(long bytes) => $"{bytes / (1024.0 * 1024):F0} MiB";
}
