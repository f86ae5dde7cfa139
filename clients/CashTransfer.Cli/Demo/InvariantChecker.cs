using CashTransfer.Api;

namespace CashTransfer.Cli.Demo;

/// <summary>One invariant over one subject (a programme, a retailer, all receipts): whether it holds, and the figures that say why.</summary>
public sealed record InvariantResult(string Name, bool Passed, string Detail);

/// <summary>
/// The ledger's invariants after a demo run. Pure: it judges a <see cref="LedgerSnapshot"/> and nothing else, so that
/// a test can hand it a ledger that breaks each rule.
/// <list type="bullet">
/// <item>every journal receipt is committed or rejected, exactly once on the ledger, with the same outcome; the ledger holds no redemption of these terminals that no journal has</item>
/// <item>per programme: issued = redeemed - reversed + revoked + reclaimed + outstanding, and issued within the budget</item>
/// <item>per retailer and currency: payable = redeemed - reversed - settled, and no redemption settled twice by one agency</item>
/// <item>the gateway's read models (payables, receipt statuses) agree with the chaincode's queries</item>
/// </list>
/// </summary>
public static class InvariantChecker
{
    public static IReadOnlyList<InvariantResult> Check(LedgerSnapshot s)
    {
        var results = new List<InvariantResult> { ReceiptsExactlyOnce(s) };
        results.AddRange(s.Programmes.Select(ProgrammeBalances));
        results.AddRange(s.Retailers.Select(r => RetailerPayable(s, r)));
        results.Add(ReadModelsAgree(s));
        return results;
    }

    private static InvariantResult ReceiptsExactlyOnce(LedgerSnapshot s)
    {
        const string name = "every receipt committed or rejected exactly once";
        var problems = new List<string>();
        var terminals = s.Journals.Select(j => j.TerminalId).ToHashSet(StringComparer.Ordinal);
        var onLedger = s.Redemptions.Where(r => terminals.Contains(r.TerminalId)).ToList();
        var byId = onLedger.ToLookup(r => r.RedemptionId, StringComparer.Ordinal);
        foreach (var receipt in s.Journals)
        {
            var records = byId[receipt.RedemptionId].ToList();
            if (!ReceiptLifecycle.IsFinal(receipt.Status))
                problems.Add($"{receipt.RedemptionId} ({receipt.TerminalId} #{receipt.Sequence}) is {receipt.Status ?? "not acknowledged"}, not final");
            if (records.Count == 0) problems.Add($"{receipt.RedemptionId} ({receipt.TerminalId} #{receipt.Sequence}) is lost: not on the ledger");
            else if (records.Count > 1) problems.Add($"{receipt.RedemptionId} is on the ledger {records.Count} times");
            else if (!Agrees(receipt.Status, records[0].Status))
                problems.Add($"{receipt.RedemptionId}: the terminal was told {receipt.Status}, the ledger says {records[0].Status}");
        }
        var journalIds = s.Journals.Select(j => j.RedemptionId).ToHashSet(StringComparer.Ordinal);
        foreach (var unknown in onLedger.Where(r => !journalIds.Contains(r.RedemptionId)))
            problems.Add($"{unknown.RedemptionId} of {unknown.TerminalId} is on the ledger but in no journal");
        foreach (var twice in onLedger.GroupBy(r => (r.TerminalId, r.Sequence)).Where(g => g.Count() > 1))
            problems.Add($"{twice.Key.TerminalId} #{twice.Key.Sequence} is on the ledger {twice.Count()} times (ids {string.Join(", ", twice.Select(r => r.RedemptionId))})");
        var committed = s.Journals.Count(j => j.Status == ReceiptState.Committed);
        var rejected = s.Journals.Count(j => j.Status == ReceiptState.Rejected);
        return Result(name, problems, $"{s.Journals.Count} receipts of {terminals.Count} terminals: {committed} committed, {rejected} rejected, each once on the ledger");
    }

    /// <summary>The gateway's "committed" means the chaincode accepted it (and it may have been reversed since); "rejected" means a recorded rejection.</summary>
    private static bool Agrees(string? journal, string ledger) => journal switch
    {
        ReceiptState.Committed => ledger is "Accepted" or "Reversed",
        ReceiptState.Rejected => ledger == "Rejected",
        _ => false,
    };

    private static InvariantResult ProgrammeBalances(ProgrammeTotalsView p)
    {
        var name = $"programme {p.ProgrammeId}: issued = redeemed - reversed + revoked + reclaimed + outstanding";
        var right = p.Redeemed - p.Reversed + p.Revoked + p.Reclaimed + p.Outstanding;
        var problems = new List<string>();
        if (p.Issued != right) problems.Add($"issued {p.Issued} <> {p.Redeemed} - {p.Reversed} + {p.Revoked} + {p.Reclaimed} + {p.Outstanding} = {right} {p.Currency}");
        if (p.Issued > p.BudgetMinor) problems.Add($"issued {p.Issued} is above the budget {p.BudgetMinor} {p.Currency}");
        if (new[] { p.Issued, p.Redeemed, p.Reversed, p.Revoked, p.Reclaimed, p.Outstanding }.Any(v => v < 0)) problems.Add("a total is negative");
        return Result(name, problems, $"{p.Issued} = {p.Redeemed} - {p.Reversed} + {p.Revoked} + {p.Reclaimed} + {p.Outstanding} {p.Currency}");
    }

    private static InvariantResult RetailerPayable(LedgerSnapshot s, string retailerId)
    {
        var name = $"retailer {retailerId}: payable = redeemed - reversed - settled";
        var redemptions = s.Redemptions.Where(r => r.RetailerId == retailerId).ToList();
        var payables = s.LedgerPayables.Where(p => p.RetailerId == retailerId).ToList();
        var settlements = s.Settlements.Where(x => x.RetailerId == retailerId).ToList();
        var currencies = redemptions.Select(r => r.Amount.Currency).Concat(payables.Select(p => p.Currency))
            .Concat(settlements.SelectMany(x => x.Totals.Select(t => t.Currency))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var problems = new List<string>();
        var figures = new List<string>();
        foreach (var currency in currencies)
        {
            var redeemed = redemptions.Where(r => r.Amount.Currency == currency && r.Status is "Accepted" or "Reversed").Sum(r => r.Amount.Minor);
            var reversed = redemptions.Where(r => r.Amount.Currency == currency && r.Status == "Reversed").Sum(r => r.Amount.Minor);
            var settled = settlements.SelectMany(x => x.Totals).Where(t => t.Currency == currency).Sum(t => t.Minor);
            var payable = payables.Where(p => p.Currency == currency).Sum(p => p.AmountMinor);
            figures.Add($"{payable} = {redeemed} - {reversed} - {settled} {currency}");
            if (payable != redeemed - reversed - settled) problems.Add($"payable {payable} <> {redeemed} - {reversed} - {settled} = {redeemed - reversed - settled} {currency}");
        }
        foreach (var twice in settlements.SelectMany(x => x.RedemptionIds.Select(id => (x.AgencyMsp, id))).GroupBy(k => k).Where(g => g.Count() > 1))
            problems.Add($"{twice.Key.AgencyMsp} settled {twice.Key.id} {twice.Count()} times");
        var accepted = redemptions.Where(r => r.Status == "Accepted").Select(r => r.RedemptionId).ToHashSet(StringComparer.Ordinal);
        foreach (var stray in payables.Where(p => !accepted.Contains(p.RedemptionId)))
            problems.Add($"a payable for {stray.RedemptionId}, which is not an accepted redemption");
        return Result(name, problems, figures.Count == 0 ? "no redemptions yet" : string.Join("; ", figures) + $" ({settlements.Count} settlements)");
    }

    private static InvariantResult ReadModelsAgree(LedgerSnapshot s)
    {
        const string name = "the gateway's read models agree with the chaincode's queries";
        var problems = new List<string>();
        var retailers = s.Retailers.ToHashSet(StringComparer.Ordinal);
        var ledger = s.LedgerPayables.Where(p => retailers.Contains(p.RetailerId)).ToHashSet();
        var view = s.ReadModelPayables.Where(p => retailers.Contains(p.RetailerId)).ToHashSet();
        foreach (var missing in ledger.Except(view)) problems.Add($"payable {missing.AgencyMsp}/{missing.RedemptionId} {missing.AmountMinor} {missing.Currency} is on the ledger, not in the read model");
        foreach (var extra in view.Except(ledger)) problems.Add($"payable {extra.AgencyMsp}/{extra.RedemptionId} {extra.AmountMinor} {extra.Currency} is in the read model, not on the ledger");
        var statuses = s.Redemptions.ToDictionary(r => r.RedemptionId, r => r.Status, StringComparer.Ordinal);
        foreach (var entry in s.ReadModelReceiptStatuses)
        {
            statuses.TryGetValue(entry.RedemptionId, out var onLedger);
            if (entry.Status != onLedger) problems.Add($"receipt {entry.RedemptionId}: read model {entry.Status ?? "none"}, ledger {onLedger ?? "none"}");
        }
        return Result(name, problems, $"{ledger.Count} payables and {s.ReadModelReceiptStatuses.Count} receipt statuses compared");
    }

    private static InvariantResult Result(string name, List<string> problems, string figures) =>
        new(name, problems.Count == 0, problems.Count == 0 ? figures : string.Join("; ", problems.Take(5)) + (problems.Count > 5 ? $"; and {problems.Count - 5} more" : ""));
}
