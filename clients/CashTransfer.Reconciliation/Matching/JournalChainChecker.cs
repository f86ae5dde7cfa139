using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Matching;

/// <summary>
/// Walks every terminal's receipts in sequence order (all journal copies together, sorted by terminal and
/// sequence) and reports a gap (a sequence number no copy holds, between two that are held) and a fork (two
/// different receipts at one sequence number, or a receipt whose previous hash is not the hash of the receipt
/// before it). Holds one sequence number's receipts at a time.
/// </summary>
public sealed class JournalChainChecker(FindingStore findings)
{
    public void Check(IEnumerable<JournalLine> bySequence)
    {
        string? terminal = null;
        List<JournalLine> previous = [];
        List<JournalLine> current = [];
        foreach (var line in bySequence)
        {
            var r = line.Receipt!.Receipt;
            if (current.Count > 0 && (r.TerminalId != terminal || r.Sequence != current[0].Receipt!.Receipt.Sequence))
            {
                Judge(previous, current);
                (previous, current) = (current, previous);
                current.Clear();
                if (r.TerminalId != terminal) previous.Clear();
            }
            terminal = r.TerminalId;
            current.Add(line);
        }
        if (current.Count > 0) Judge(previous, current);
    }

    private void Judge(List<JournalLine> previous, List<JournalLine> current)
    {
        var here = current.DistinctBy(l => l.ReceiptHash).ToList();
        var r = here[0].Receipt!.Receipt;
        if (here.Count > 1)
            findings.Add(Finding.Of(FindingKinds.JournalFork,
                    $"Terminal {r.TerminalId} has {here.Count} different receipts at sequence {r.Sequence}: " +
                    string.Join("; ", here.Select(l => $"{l.Source} line {l.Line}: {l.Receipt!.Receipt.RedemptionId} hash {l.ReceiptHash}")) + ".",
                    "Suspend the terminal until its journal is explained: one journal has been rewritten or the terminal was cloned.") with
            {
                TerminalId = r.TerminalId, Sequence = r.Sequence, RedemptionId = r.RedemptionId, Source = here[0].Source, Line = here[0].Line,
            });
        if (previous.Count == 0) return;
        var before = previous[0].Receipt!.Receipt.Sequence;
        if (r.Sequence > before + 1)
        {
            findings.Add(Finding.Of(FindingKinds.JournalGap,
                    $"Terminal {r.TerminalId}'s journals hold sequence {before}, then {r.Sequence}: {r.Sequence - before - 1} receipt(s) " +
                    $"({before + 1}-{r.Sequence - 1}) are in no journal given.",
                    "Ask the retailer for the terminal's full journal export; a receipt deleted from a journal cannot be resubmitted.") with
            {
                TerminalId = r.TerminalId, Sequence = before + 1, Source = here[0].Source, Line = here[0].Line,
            });
            return;
        }
        var hashesBefore = previous.Select(l => l.ReceiptHash).ToHashSet(StringComparer.Ordinal);
        foreach (var l in here.Where(l => !hashesBefore.Contains(l.Receipt!.Receipt.PreviousReceiptHash)))
            findings.Add(Finding.Of(FindingKinds.JournalFork,
                    $"Receipt {r.TerminalId} #{r.Sequence} ({l.Source} line {l.Line}) carries previous hash {l.Receipt!.Receipt.PreviousReceiptHash}, " +
                    $"which is not the hash of receipt #{before} ({string.Join(" or ", hashesBefore)}): the hash chain is broken.",
                    "Suspend the terminal until its journal is explained: a receipt before this one was changed or removed.") with
            {
                TerminalId = r.TerminalId, Sequence = r.Sequence, RedemptionId = l.Receipt.Receipt.RedemptionId, Source = l.Source, Line = l.Line,
            });
    }
}
