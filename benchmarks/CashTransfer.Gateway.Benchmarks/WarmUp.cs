using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace CashTransfer.Gateway.Benchmarks;

/// <summary>
/// Runs untimed rounds of both paths until tiered compilation has settled, so that the timed rounds measure a running
/// service and not its start. The service has far more code to tier up than the plain path (ASP.NET Core, SQLite, the
/// outbox, and the framework's ready-to-run code that tiered PGO compiles twice more): after a fixed warm-up of 20
/// receipts per terminal, perf put the JIT at 15 % of the machine in the first timed service run and 5 % in the second
/// (plain runs 1 %), and the first round's service receipts/s were the lowest of three in each run profiled. A warm-up round shaped like the
/// timed ones (same receipts per terminal and per upload) reaches the same code paths, which small rounds did not.
/// </summary>
internal static class WarmUp
{
    /// <summary>A warm-up round (a run of each path) in which the JIT worked less than this share of its wall time is a quiet one.</summary>
    private const double SettledJitShare = 0.02;

    public const int MostRounds = 8;

    /// <summary>Runs rounds of both paths until two in a row leave the JIT nearly idle; says how many and each one's JIT share (a line each).</summary>
    public static async Task<IReadOnlyList<string>> UntilJitSettlesAsync(Func<Task<TimeSpan>> service, Func<Task<TimeSpan>> plain)
    {
        var shares = new List<double>();
        while (true)
        {
            var jitAtStart = JitInfo.GetCompilationTime();
            var wall = Stopwatch.StartNew();
            await service();
            await plain();
            shares.Add((JitInfo.GetCompilationTime() - jitAtStart) / wall.Elapsed);
            if (Settled(shares) || shares.Count == MostRounds) break;
        }
        List<string> lines = [$"  warm-up: {shares.Count} untimed rounds; JIT time per wall time:",
            "    " + string.Join(", ", shares.Select(s => s.ToString("P1", CultureInfo.InvariantCulture)))];
        if (!Settled(shares)) lines.Add($"    (not twice under {SettledJitShare.ToString("P0", CultureInfo.InvariantCulture)} in {MostRounds} rounds)");
        return lines;
    }

    /// <summary>
    /// Two rounds in a row under the share: tiering comes in waves (call counting, then instrumented code, then the final
    /// code), and one quiet round was once followed by a timed round with the JIT at 28 % of its wall time.
    /// </summary>
    private static bool Settled(List<double> shares) => shares.Count >= 2 && shares[^1] < SettledJitShare && shares[^2] < SettledJitShare;

    /// <summary>The JIT's time over a run's wall time.</summary>
    public static string Share(TimeSpan jit, TimeSpan wall) => (jit / wall).ToString("P1", CultureInfo.InvariantCulture);
}
