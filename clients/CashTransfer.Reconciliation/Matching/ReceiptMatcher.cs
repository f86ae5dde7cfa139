using CashTransfer.Api;
using CashTransfer.Contracts;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Sources;

namespace CashTransfer.Reconciliation.Matching;

/// <summary>
/// Matches ledger redemptions with journal receipts by redemption id: both sides sorted by id, walked together once
/// (a merge join), so memory holds one id's copies at a time. A journal receipt the period's ledger lacks is looked up
/// by id (it may have been recorded outside the period) before it is called missing.
/// </summary>
public sealed class ReceiptMatcher(ILedgerSource ledger, FindingStore findings, IReceiptResubmitter? resubmitter)
{
    public long Matched { get; private set; }
    public long Resubmitted { get; private set; }

    public async Task MatchAsync(IEnumerable<LedgerRedemption> ledgerById, IEnumerable<JournalLine> journalById, IProgress<ReconciliationProgress>? progress,
        CancellationToken ct)
    {
        using var left = ledgerById.GetEnumerator();
        using var right = journalById.GetEnumerator();
        var hasLeft = left.MoveNext();
        var hasRight = right.MoveNext();
        var copies = new List<JournalLine>();
        long ids = 0;
        while (hasLeft || hasRight)
        {
            ct.ThrowIfCancellationRequested();
            var c = !hasLeft ? 1 : !hasRight ? -1 : string.CompareOrdinal(left.Current.RedemptionId, right.Current.Receipt!.Receipt.RedemptionId);
            LedgerRedemption? onLedger = c <= 0 ? left.Current : null;
            copies.Clear();
            if (c >= 0)
            {
                var id = right.Current.Receipt!.Receipt.RedemptionId;
                do { copies.Add(right.Current); hasRight = right.MoveNext(); }
                while (hasRight && right.Current.Receipt!.Receipt.RedemptionId == id);
            }
            if (c <= 0) hasLeft = left.MoveNext();
            await JudgeAsync(onLedger, copies, ct);
            if (++ids % 50_000 == 0) progress?.Report(new ReconciliationProgress("matching receipts", ids));
        }
    }

    private async Task JudgeAsync(LedgerRedemption? onLedger, List<JournalLine> copies, CancellationToken ct)
    {
        if (onLedger is not null)
        {
            if (onLedger.Status == LedgerStatus.Rejected) findings.Add(Rejected(onLedger));
            if (copies.Count == 0) { findings.Add(MissingFromJournal(onLedger)); return; }
            CompareContent(onLedger, copies);
            return;
        }
        var distinct = copies.DistinctBy(j => j.ReceiptHash).ToList();
        if (distinct.Count > 1)
        {
            findings.Add(JournalCopiesDiffer(distinct));
            return;
        }
        var found = await ledger.FindRedemptionAsync(copies[0].Receipt!.Receipt.RedemptionId, ct);
        if (found is not null) { CompareContent(found, copies); return; }
        if (copies.All(j => ReceiptLifecycle.IsOpen(j.ServiceStatus))) { findings.Add(InFlight(copies[0])); return; }
        var resubmitted = resubmitter is not null && await resubmitter.ResubmitAsync(copies[0].Receipt!, ct);
        if (resubmitted) Resubmitted++;
        findings.Add(MissingOnLedger(copies, resubmitted));
    }

    /// <summary>Each distinct receipt among the copies either matches the ledger's record or is one mismatch, however many journals hold it.</summary>
    private void CompareContent(LedgerRedemption onLedger, List<JournalLine> copies)
    {
        foreach (var same in copies.GroupBy(c => c.ReceiptHash, StringComparer.Ordinal))
        {
            var copy = same.First();
            var r = copy.Receipt!.Receipt;
            if (copy.ReceiptHash == onLedger.ReceiptHash && r.TerminalId == onLedger.TerminalId && r.Sequence == onLedger.Sequence) { Matched += same.Count(); continue; }
            findings.Add(Finding.Of(FindingKinds.ReceiptContentMismatch,
                    $"The ledger recorded {onLedger.RedemptionId} as receipt {onLedger.TerminalId} #{onLedger.Sequence} with hash {onLedger.ReceiptHash} " +
                    $"({Currencies.Format(onLedger.Amount.Minor, onLedger.Amount.Currency)}); {string.Join(", ", same.Select(c => $"{c.Source} line {c.Line}"))} hold(s) " +
                    $"{r.TerminalId} #{r.Sequence} with hash {copy.ReceiptHash} ({Currencies.Format(r.Amount.Minor, r.Amount.Currency)}).",
                    "Compare the two receipts field by field; the terminal signed one of them. Escalate as possible tampering or a terminal defect.") with
            {
                RedemptionId = onLedger.RedemptionId, TerminalId = r.TerminalId, Sequence = r.Sequence, RetailerId = onLedger.RetailerId,
                LedgerAmount = onLedger.Amount, OtherAmount = r.Amount, Source = copy.Source, Line = copy.Line,
                ProgrammeId = onLedger.Allocations.FirstOrDefault()?.ProgrammeId, AgencyMsp = onLedger.Allocations.FirstOrDefault()?.OwnerMsp,
            });
        }
    }

    private static Finding Rejected(LedgerRedemption r) => Finding.Of(FindingKinds.ReceiptRejected,
            $"The ledger refused receipt {r.TerminalId} #{r.Sequence}: {r.RejectionCode ?? "no reason recorded"}.",
            "None unless the retailer disputes it (disputes are handled off-chain).") with
    {
        RedemptionId = r.RedemptionId, TerminalId = r.TerminalId, Sequence = r.Sequence, RetailerId = r.RetailerId, LedgerAmount = r.Amount,
    };

    private static Finding MissingFromJournal(LedgerRedemption r) => Finding.Of(FindingKinds.RedemptionMissingFromJournal,
            $"The ledger recorded {r.RedemptionId} ({r.TerminalId} #{r.Sequence}, {Currencies.Format(r.Amount.Minor, r.Amount.Currency)}, {r.Status}) at {r.RecordedAt:O}; " +
            "neither the service nor any journal file given holds this receipt.",
            "Ask the retailer for the terminal's journal export; if the terminal never made this sale, investigate who submitted it.") with
    {
        RedemptionId = r.RedemptionId, TerminalId = r.TerminalId, Sequence = r.Sequence, RetailerId = r.RetailerId, LedgerAmount = r.Amount,
        ProgrammeId = r.Allocations.FirstOrDefault()?.ProgrammeId, AgencyMsp = r.Allocations.FirstOrDefault()?.OwnerMsp,
    };

    private static Finding JournalCopiesDiffer(List<JournalLine> copies)
    {
        var first = copies[0].Receipt!.Receipt;
        return Finding.Of(FindingKinds.ReceiptContentMismatch,
                $"Redemption id {first.RedemptionId} has {copies.Count} different receipts: " +
                string.Join("; ", copies.Select(c => $"{c.Source} line {c.Line}: {c.Receipt!.Receipt.TerminalId} #{c.Receipt.Receipt.Sequence} " +
                    $"{Currencies.Format(c.Receipt.Receipt.Amount.Minor, c.Receipt.Receipt.Amount.Currency)} hash {c.ReceiptHash}")) + "; the ledger has none.",
                "Find out which journal is genuine before anything is submitted; none was resubmitted.") with
        {
            RedemptionId = first.RedemptionId, TerminalId = first.TerminalId, Sequence = first.Sequence, OtherAmount = first.Amount,
            Source = copies[0].Source, Line = copies[0].Line,
        };
    }

    private static Finding InFlight(JournalLine copy)
    {
        var r = copy.Receipt!.Receipt;
        return Finding.Of(FindingKinds.ReceiptInFlight,
                $"The service holds receipt {r.TerminalId} #{r.Sequence} as {copy.ServiceStatus}; it is not on the ledger yet.",
                "None: the service's submitter is still working on it. Run again later if it stays.") with
        {
            RedemptionId = r.RedemptionId, TerminalId = r.TerminalId, Sequence = r.Sequence, OtherAmount = r.Amount, Source = copy.Source,
        };
    }

    private static Finding MissingOnLedger(List<JournalLine> copies, bool resubmitted)
    {
        var copy = copies[0];
        var r = copy.Receipt!.Receipt;
        return Finding.Of(FindingKinds.ReceiptMissingOnLedger,
                $"Receipt {r.TerminalId} #{r.Sequence} ({Currencies.Format(r.Amount.Minor, r.Amount.Currency)}, terminal time {r.TerminalTime:O}) carries the terminal's valid signature " +
                $"({string.Join(", ", copies.Select(c => $"{c.Source} line {c.Line}"))}); the ledger has no redemption {r.RedemptionId}.",
                resubmitted
                    ? "Resubmitted through the service's outbox; the next run should show it matched (or rejected by the ledger's rules)."
                    : "Resubmit it (cashtransfer reconcile --resubmit): the redemption id makes a repeat harmless.") with
        {
            RedemptionId = r.RedemptionId, TerminalId = r.TerminalId, Sequence = r.Sequence, OtherAmount = r.Amount, Source = copy.Source, Line = copy.Line,
            Resubmitted = resubmitted,
        };
    }
}
