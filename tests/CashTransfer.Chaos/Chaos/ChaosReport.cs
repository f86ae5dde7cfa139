using CashTransfer.Cli.Demo;
using CashTransfer.Local;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using Spectre.Console;

namespace CashTransfer.Chaos.Chaos;

/// <summary>One round: the fault, what it killed, how long the restart took, how far the backlog had got.</summary>
public sealed record RoundRecord(int Round, string Fault, string Killed, double RestartSeconds, int AcknowledgedBefore, int AcknowledgedAfter, string Events);

/// <summary>What a fault-suite run found, and how it prints.</summary>
public sealed record ChaosReport(
    ChaosOptions Options,
    IReadOnlyList<RoundRecord> Rounds,
    IReadOnlyList<TerminalComparison> Terminals,
    IReadOnlyList<InvariantResult> Invariants,
    IReadOnlyList<string> Findings,
    IReadOnlyList<string> Crashes,
    IReadOnlyDictionary<string, int> ErrorEntries,
    TimeSpan Elapsed)
{
    public int Lost => Terminals.Sum(t => t.Lost);
    public int Doubled => Terminals.Sum(t => t.Doubled);
    public int Undecided => Terminals.Sum(t => t.Undecided);
    public int NotAcknowledged => Terminals.Sum(t => t.NotAcknowledged);

    /// <summary>0 lost, 0 doubled, every acknowledged receipt decided, the whole backlog acknowledged, the invariants hold, no part crashed by itself.</summary>
    public bool Passed => Lost == 0 && Doubled == 0 && Undecided == 0 && NotAcknowledged == 0 && Invariants.All(i => i.Passed) && Crashes.Count == 0;

    public void Print(IAnsiConsole console)
    {
        var rounds = new Table().Title("Rounds (SIGKILL, restart on the same data)").AddColumns("round", "fault", "killed (pid)", "restart s", "acknowledged before", "after", "events");
        foreach (var r in Rounds)
            rounds.AddRow(r.Round.ToString(), r.Fault, Markup.Escape(r.Killed), r.RestartSeconds.ToString("F1"), r.AcknowledgedBefore.ToString(), r.AcknowledgedAfter.ToString(), Markup.Escape(r.Events));
        console.Write(rounds);

        var terminals = new Table().Title("Every terminal's journal against the ledger").AddColumns("terminal", "role", "receipts", "acknowledged", "committed", "rejected",
            "lost", "doubled", "undecided", "not acknowledged");
        foreach (var t in Terminals)
            terminals.AddRow(t.TerminalId, t.Role, t.Receipts.ToString(), t.Acknowledged.ToString(), t.Committed.ToString(), t.Rejected.ToString(),
                Flag(t.Lost), Flag(t.Doubled), Flag(t.Undecided), Flag(t.NotAcknowledged));
        terminals.AddRow("[bold]total[/]", "", Terminals.Sum(t => t.Receipts).ToString(), Terminals.Sum(t => t.Acknowledged).ToString(), Terminals.Sum(t => t.Committed).ToString(),
            Terminals.Sum(t => t.Rejected).ToString(), Flag(Lost), Flag(Doubled), Flag(Undecided), Flag(NotAcknowledged));
        console.Write(terminals);
        foreach (var t in Terminals.Where(t => t.Examples.Count > 0 || t.RejectionReasons.Count > 0))
            console.MarkupLine($"  {t.TerminalId}: {Markup.Escape(string.Join("; ", t.RejectionReasons.Select(r => $"rejected {r.Value} x {r.Key}").Concat(t.Examples)))}");

        var invariants = new Table().Title("Ledger invariants").AddColumns("invariant", "result", "figures");
        foreach (var i in Invariants) invariants.AddRow(Markup.Escape(i.Name), i.Passed ? "[green]PASS[/]" : "[red]FAIL[/]", Markup.Escape(i.Detail));
        console.Write(invariants);

        console.MarkupLine($"Error log entries (kills make some): {Markup.Escape(string.Join(", ", ErrorEntries.Select(e => $"{e.Key} {e.Value}")))}");
        foreach (var crash in Crashes) console.MarkupLine($"[red]crash:[/] {Markup.Escape(crash)}");
        foreach (var finding in Findings) console.MarkupLine($"[yellow]finding:[/] {Markup.Escape(finding)}");
        console.MarkupLine($"{Options.Terminals} terminals, {Terminals.Sum(t => t.Receipts)} receipts, {Rounds.Count} rounds in {Elapsed.TotalSeconds:F0} s: " +
            $"lost {Lost}, doubled {Doubled}, undecided {Undecided}, not acknowledged {NotAcknowledged}: {(Passed ? "[green]PASS[/]" : "[red]FAIL[/]")}");
    }

    private static string Flag(int count) => count == 0 ? "0" : $"[red]{count}[/]";
}
