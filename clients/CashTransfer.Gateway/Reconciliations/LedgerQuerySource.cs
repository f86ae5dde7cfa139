using CashTransfer.Api;
using System.Runtime.CompilerServices;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Sources;

namespace CashTransfer.Gateway.Reconciliations;

/// <summary>
/// The ledger for a reconciliation, read in process through the chaincode's paginated queries with the requesting
/// auditor's identity, 1000 records a page (the same queries the auditor API and its export answer).
/// </summary>
public sealed class LedgerQuerySource(ILedgerGateway ledger, LedgerCaller auditor) : ILedgerSource
{
    private const string PageSize = "1000";
    private const string GetSettlementsByRetailer = "Query:GetSettlementsByRetailer";

    private sealed record AllocationView(string ProgrammeId, string OwnerMsp, long AmountMinor);
    private sealed record RejectionView(string Code);
    private sealed record RedemptionView(string RedemptionId, string TerminalId, string RetailerId, long Sequence, string ReceiptHash, Money Amount,
        string Status, RejectionView? Rejection, DateTimeOffset RecordedAt, IReadOnlyList<AllocationView>? Allocations);
    private sealed record PayableView(string RetailerId, string AgencyMsp, string RedemptionId, Money Amount, DateTimeOffset RecordedAt);
    private sealed record SettlementView(string SettlementId, string AgencyMsp, string RetailerId, string PaymentReference, IReadOnlyList<Money> Totals,
        IReadOnlyList<string> RedemptionIds, DateTimeOffset SettledAt);
    private sealed record TotalsView(string ProgrammeId, string Currency, long BudgetMinor, long Issued, long Redeemed, long Reversed, long Revoked,
        long Reclaimed, long Outstanding, string Bookmark);

    public async IAsyncEnumerable<LedgerRedemption> RedemptionsAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var r in PagesAsync<RedemptionView>(ChaincodeFunctions.GetRedemptionsByPeriod, [from.ToString("O"), to.ToString("O")], ct)) yield return ToModel(r);
    }

    public async Task<LedgerRedemption?> FindRedemptionAsync(string redemptionId, CancellationToken ct)
    {
        try { return ToModel(await ledger.EvaluateJsonAsync<RedemptionView>(auditor, ChaincodeFunctions.GetRedemption, [redemptionId], ct)); }
        catch (ChaincodeRejectedException e) when (e.Status == 404) { return null; }
    }

    public async IAsyncEnumerable<LedgerRedemption> RetailerRedemptionsAsync(string retailerId, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var r in PagesAsync<RedemptionView>(ChaincodeFunctions.GetRedemptionsByRetailer, [retailerId], ct)) yield return ToModel(r);
    }

    public async IAsyncEnumerable<LedgerPayable> PayablesAsync(string retailerId, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var p in PagesAsync<PayableView>(ChaincodeFunctions.GetPayables, [retailerId], ct))
            yield return new LedgerPayable(p.RetailerId, p.AgencyMsp, p.RedemptionId, p.Amount, p.RecordedAt);
    }

    public async IAsyncEnumerable<LedgerSettlement> SettlementsAsync(string retailerId, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var s in PagesAsync<SettlementView>(GetSettlementsByRetailer, [retailerId], ct))
            yield return new LedgerSettlement(s.SettlementId, s.AgencyMsp, s.RetailerId, s.PaymentReference, s.Totals, s.RedemptionIds.Count, s.SettledAt);
    }

    public async Task<LedgerProgrammeTotals?> ProgrammeTotalsAsync(string programmeId, CancellationToken ct)
    {
        LedgerProgrammeTotals? sum = null;
        var bookmark = "";
        do
        {
            TotalsView page;
            try { page = await ledger.EvaluateJsonAsync<TotalsView>(auditor, ChaincodeFunctions.GetProgrammeTotals, [programmeId, PageSize, bookmark], ct); }
            catch (ChaincodeRejectedException e) when (e.Status == 404) { return null; }
            sum = sum is null
                ? new LedgerProgrammeTotals(programmeId, page.Currency, page.BudgetMinor, page.Issued, page.Redeemed, page.Reversed, page.Revoked, page.Reclaimed, page.Outstanding)
                : sum with
                {
                    Issued = checked(sum.Issued + page.Issued), Redeemed = checked(sum.Redeemed + page.Redeemed), Reversed = checked(sum.Reversed + page.Reversed),
                    Revoked = checked(sum.Revoked + page.Revoked), Reclaimed = checked(sum.Reclaimed + page.Reclaimed), Outstanding = checked(sum.Outstanding + page.Outstanding),
                };
            bookmark = page.Bookmark ?? "";
        } while (bookmark.Length > 0);
        return sum;
    }

    public async Task<LedgerTerminal?> FindTerminalAsync(string terminalId, CancellationToken ct)
    {
        try
        {
            var t = await ledger.EvaluateJsonAsync<TerminalLedgerRecord>(auditor, ChaincodeFunctions.GetTerminal, [terminalId], ct);
            return new LedgerTerminal(t.TerminalId, t.RetailerId, t.KeyHistory());
        }
        catch (ChaincodeRejectedException e) when (e.Status is 404 or 400) { return null; }
    }

    private async IAsyncEnumerable<T> PagesAsync<T>(string function, string[] arguments, [EnumeratorCancellation] CancellationToken ct)
    {
        var bookmark = "";
        do
        {
            var page = await ledger.EvaluateJsonAsync<Page<T>>(auditor, function, [.. arguments, PageSize, bookmark], ct);
            foreach (var item in page.Items) yield return item;
            bookmark = page.Bookmark ?? "";
        } while (bookmark.Length > 0);
    }

    private static LedgerRedemption ToModel(RedemptionView r) => new(r.RedemptionId, r.TerminalId, r.RetailerId, r.Sequence, r.ReceiptHash, r.Amount, r.Status,
        r.Rejection?.Code, r.RecordedAt, (r.Allocations ?? []).Select(a => new LedgerAllocation(a.ProgrammeId, a.OwnerMsp, a.AmountMinor)).ToList());

}
