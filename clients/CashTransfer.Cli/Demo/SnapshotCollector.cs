using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Pos.Journal;

namespace CashTransfer.Cli.Demo;

/// <summary>
/// Gathers a <see cref="LedgerSnapshot"/>: the journals on the terminals, the chaincode's queries through the
/// gateway's auditor API (paging to the end), and the gateway's read models.
/// </summary>
public sealed class SnapshotCollector(GatewayApi auditor, DemoAgency agency)
{
    private sealed record OutcomeDto(string RedemptionId, string Status, string? LedgerStatus);
    private sealed record PayableDelta(string RetailerId, string AgencyMsp, string RedemptionId, Money Amount);
    private sealed record PayableView(string RetailerId, string AgencyMsp, string RedemptionId, long AmountMinor, string Currency);

    /// <param name="journals">Each terminal's journal, with the signed client it reads its read-model statuses through.</param>
    /// <param name="runReceipts">The receipts of this run, whose read-model status is compared with the ledger.</param>
    public async Task<LedgerSnapshot> CollectAsync(IReadOnlyList<(OfflineJournal Journal, GatewayApi Terminal)> journals, IReadOnlySet<string> runReceipts, CancellationToken ct)
    {
        var receipts = new List<JournalReceipt>();
        var statuses = new List<ReceiptStatusEntry>();
        foreach (var (journal, terminal) in journals)
            foreach (var o in await journal.OutcomesAsync(ct))
            {
                receipts.Add(new JournalReceipt(journal.TerminalId, o.RedemptionId, o.Sequence, o.Status, o.Reason));
                if (runReceipts.Contains(o.RedemptionId))
                    statuses.Add(new ReceiptStatusEntry(o.RedemptionId, (await terminal.GetAsync<OutcomeDto>($"api/pos/outcomes/{o.RedemptionId}", ct)).LedgerStatus));
            }
        var retailer = agency.RetailerId;
        var redemptions = await PagesAsync<LedgerRedemption>($"api/audit/redemptions?retailerId={retailer}", ct);
        var programmes = new List<ProgrammeTotalsView>();
        foreach (var programme in agency.Programmes) programmes.Add(await TotalsAsync(programme.ProgrammeId, ct));
        var payables = (await PagesAsync<PayableDelta>($"api/audit/payables/{retailer}", ct))
            .Select(p => new PayableEntry(p.RetailerId, p.AgencyMsp, p.RedemptionId, p.Amount.Minor, p.Amount.Currency)).ToList();
        var settlements = new List<SettlementView>();
        foreach (var id in agency.Settlements) settlements.Add(await auditor.GetAsync<SettlementView>($"api/audit/settlements/{id}", ct));
        var view = (await auditor.GetAsync<List<PayableView>>($"api/audit/read-models/payables/{retailer}", ct))
            .Select(p => new PayableEntry(p.RetailerId, p.AgencyMsp, p.RedemptionId, p.AmountMinor, p.Currency)).ToList();
        return new LedgerSnapshot([retailer], receipts, redemptions, programmes, payables, settlements, view, statuses);
    }

    private async Task<List<T>> PagesAsync<T>(string path, CancellationToken ct)
    {
        var items = new List<T>();
        var bookmark = "";
        do
        {
            var separator = path.Contains('?') ? '&' : '?';
            var page = await auditor.GetAsync<Page<T>>($"{path}{separator}pageSize=1000&bookmark={Uri.EscapeDataString(bookmark)}", ct);
            items.AddRange(page.Items);
            bookmark = page.Bookmark;
        } while (!string.IsNullOrEmpty(bookmark));
        return items;
    }

    private async Task<ProgrammeTotalsView> TotalsAsync(string programmeId, CancellationToken ct)
    {
        ProgrammeTotalsView? sum = null;
        var bookmark = "";
        do
        {
            var page = await auditor.GetAsync<JsonElement>($"api/audit/programmes/{programmeId}/totals?pageSize=1000&bookmark={Uri.EscapeDataString(bookmark)}", ct);
            long L(string name) => page.GetProperty(name).GetInt64();
            var next = new ProgrammeTotalsView(programmeId, page.GetProperty("currency").GetString()!, L("budgetMinor"), L("issued"), L("redeemed"), L("reversed"),
                L("revoked"), L("reclaimed"), L("outstanding"));
            sum = sum is null ? next : sum with
            {
                Issued = sum.Issued + next.Issued, Redeemed = sum.Redeemed + next.Redeemed, Reversed = sum.Reversed + next.Reversed,
                Revoked = sum.Revoked + next.Revoked, Reclaimed = sum.Reclaimed + next.Reclaimed, Outstanding = sum.Outstanding + next.Outstanding,
            };
            bookmark = page.GetProperty("bookmark").GetString() ?? "";
        } while (!string.IsNullOrEmpty(bookmark));
        return sum!;
    }
}
