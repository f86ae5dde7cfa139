using CashTransfer.Cli.Demo;
using CashTransfer.Local;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Pos.Journal;

namespace CashTransfer.Chaos.Chaos;

/// <summary>One terminal's journal against the ledger.</summary>
public sealed record TerminalComparison(string TerminalId, string Role, int Receipts, int Acknowledged, int Committed, int Rejected,
    int Lost, int Doubled, int Undecided, int NotAcknowledged, IReadOnlyDictionary<string, int> RejectionReasons, IReadOnlyList<string> Examples);

/// <summary>
/// Compares every terminal's journal with the ledger's redemptions. Every sale of the backlog is valid, so a receipt
/// the service acknowledged must end accepted on the ledger exactly once:
/// <list type="bullet">
/// <item>lost: acknowledged, and not accepted on the ledger (absent, or rejected: the retailer is not paid for goods handed over)</item>
/// <item>doubled: a journal position or redemption id on the ledger more than once, or a redemption of these terminals that no journal holds</item>
/// <item>undecided: acknowledged, but the terminal never learned a final outcome (committed or rejected)</item>
/// <item>not acknowledged: still waiting in the journal at the end (a terminal locked out or stuck)</item>
/// </list>
/// Pure, so that a test can hand it a ledger that breaks each rule.
/// </summary>
public static class JournalComparison
{
    public static IReadOnlyList<TerminalComparison> Compare(IReadOnlyDictionary<string, (string Role, IReadOnlyList<JournalOutcome> Journal)> journals, IReadOnlyList<LedgerRedemption> ledger)
    {
        var byId = ledger.ToLookup(r => r.RedemptionId, StringComparer.Ordinal);
        var journalIds = journals.Values.SelectMany(j => j.Journal).Select(o => o.RedemptionId).ToHashSet(StringComparer.Ordinal);
        var results = new List<TerminalComparison>();
        foreach (var (terminalId, (role, journal)) in journals.OrderBy(j => j.Key, StringComparer.Ordinal))
        {
            var examples = new List<string>();
            var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
            int acknowledged = 0, committed = 0, rejected = 0, lost = 0, doubled = 0, undecided = 0, waiting = 0;
            foreach (var receipt in journal)
            {
                var records = byId[receipt.RedemptionId].ToList();
                var accepted = records.Count(r => r.Status is "Accepted" or "Reversed");
                if (records.Count > 1) { doubled++; Note(examples, $"{receipt.RedemptionId} (#{receipt.Sequence}) is on the ledger {records.Count} times"); }
                if (receipt.Status == "rejected" || records.Any(r => r.Status == "Rejected"))
                {
                    rejected++;
                    var reason = receipt.Reason ?? "(reason not fetched)";
                    reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                }
                else if (accepted > 0) committed++;
                if (!receipt.Acknowledged) { waiting++; continue; }
                acknowledged++;
                if (accepted == 0)
                {
                    lost++;
                    Note(examples, records.Count > 0 ? $"{receipt.RedemptionId} (#{receipt.Sequence}) acknowledged, then rejected on the ledger ({receipt.Reason})"
                        : receipt.Status == "rejected" ? $"{receipt.RedemptionId} (#{receipt.Sequence}) acknowledged, then rejected by the service ({receipt.Reason}), not on the ledger"
                        : $"{receipt.RedemptionId} (#{receipt.Sequence}) acknowledged, not on the ledger");
                }
                if (receipt.Status is not ("committed" or "rejected"))
                {
                    undecided++;
                    Note(examples, $"{receipt.RedemptionId} (#{receipt.Sequence}) acknowledged, terminal still sees '{receipt.Status}'");
                }
            }
            var ownPositions = ledger.Where(r => r.TerminalId == terminalId).GroupBy(r => r.Sequence).Where(g => g.Count() > 1).ToList();
            foreach (var twice in ownPositions) { doubled++; Note(examples, $"#{twice.Key} is on the ledger {twice.Count()} times ({string.Join(", ", twice.Select(r => r.RedemptionId))})"); }
            foreach (var stray in ledger.Where(r => r.TerminalId == terminalId && !journalIds.Contains(r.RedemptionId)))
            { doubled++; Note(examples, $"{stray.RedemptionId} (#{stray.Sequence}) is on the ledger but in no journal"); }
            results.Add(new TerminalComparison(terminalId, role, journal.Count, acknowledged, committed, rejected, lost, doubled, undecided, waiting, reasons, examples));
        }
        return results;
    }

    private static void Note(List<string> examples, string text)
    {
        if (examples.Count < 3) examples.Add(text);
    }
}
