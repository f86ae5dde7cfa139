using CashTransfer.Chaos.Processes;
using Spectre.Console;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>One fuzzing phase: what it sent, what came back, and the error entries each part logged meanwhile.</summary>
public sealed record FuzzPhase(string Name, long Requested, FuzzTally Tally, IReadOnlyDictionary<StackPart, int> ErrorEntries, TimeSpan Elapsed)
{
    /// <summary>Outcomes that mean the server failed rather than refused: gRPC Internal/Unknown, an undocumented 5xx, a dropped connection, no answer.</summary>
    public IReadOnlyList<(string Target, string Outcome, long Count)> Suspicious =>
        Tally.Counts.Where(c => c.Outcome is "Internal" or "Unknown" or "connection failed" or "no answer in 60 s" or GrpcFuzzer.StillOpen || c.Outcome.EndsWith("UNDOCUMENTED", StringComparison.Ordinal)).ToList();
}

/// <summary>What a fuzzing run found, and how it prints.</summary>
public sealed record FuzzReport(FuzzOptions Options, IReadOnlyList<FuzzPhase> Phases, IReadOnlyDictionary<StackPart, (long First, long Peak, long Last)> Memory,
    IReadOnlyList<string> Crashes, IReadOnlyDictionary<StackPart, IReadOnlyList<string>> ErrorSamples, TimeSpan Elapsed)
{
    public bool MemoryBounded => Memory.Values.All(m => m.Peak <= Options.MemoryLimitBytes);

    /// <summary>Every phase sent its count; no crash, no unhandled error (logged or answered), memory within the limit.</summary>
    public bool Passed => Crashes.Count == 0 && MemoryBounded && Phases.All(p => p.Tally.Sent >= p.Requested && p.Suspicious.Count == 0 && p.ErrorEntries.Values.All(e => e == 0));

    public void Print(IAnsiConsole console)
    {
        foreach (var phase in Phases)
        {
            var table = new Table().Title($"{Markup.Escape(phase.Name)}: {phase.Tally.Sent:N0} of {phase.Requested:N0} sent in {phase.Elapsed.TotalSeconds:F0} s{(phase.Tally.Sent < phase.Requested ? " (stopped by the time budget)" : "")}").AddColumns("target", "outcome", "count");
            foreach (var (target, outcome, count) in phase.Tally.Counts) table.AddRow(Markup.Escape(target), Markup.Escape(outcome), count.ToString("N0"));
            console.Write(table);
            console.MarkupLine($"  error log entries during the phase: {string.Join(", ", phase.ErrorEntries.Select(e => $"{e.Key.ToString().ToLowerInvariant()} {e.Value}"))}");
            foreach (var (finding, examples) in phase.Tally.Examples)
                foreach (var example in examples) console.MarkupLine($"  [yellow]{Markup.Escape(finding)}[/]: {Markup.Escape(example)}");
        }
        var memory = new Table().Title($"Memory (resident set, limit {Options.MemoryLimitBytes / 1048576} MiB)").AddColumns("part", "first MiB", "peak MiB", "last MiB");
        foreach (var (part, (first, peak, last)) in Memory) memory.AddRow(part.ToString().ToLowerInvariant(), Mib(first), Mib(peak), Mib(last));
        console.Write(memory);
        foreach (var (part, samples) in ErrorSamples)
            foreach (var sample in samples) console.MarkupLine($"  [yellow]{part.ToString().ToLowerInvariant()} error entry[/]: {Markup.Escape(sample)}");
        foreach (var crash in Crashes) console.MarkupLine($"[red]crash:[/] {Markup.Escape(crash)}");
        console.MarkupLine($"{Phases.Sum(p => p.Tally.Sent):N0} inputs in {Elapsed.TotalSeconds:F0} s: crashes {Crashes.Count}, suspicious outcomes {Phases.Sum(p => p.Suspicious.Sum(s => s.Count))}, " +
            $"error entries {Phases.Sum(p => p.ErrorEntries.Values.Sum())}, memory {(MemoryBounded ? "bounded" : "[red]over the limit[/]")}; {(Passed ? "[green]PASS[/]" : "[red]FAIL[/]")}");
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F0");
}
