using CashTransfer.Api.Client;
using CashTransfer.Pos.Journal;

namespace CashTransfer.Cli.Demo;

/// <summary>
/// Gathers a <see cref="LedgerSnapshot"/>: the journals on the terminals, the chaincode's queries through the
/// gateway's auditor API (paging to the end), and the gateway's read models.
/// </summary>
public sealed class SnapshotCollector(CashTransferClient auditor, DemoAgency agency)
{
    private sealed record PayableView(string RetailerId, string AgencyMsp, string RedemptionId, long AmountMinor, string Currency);

    /// <param name="journals">Each terminal's journal, with the signed client it reads its read-model statuses through.</param>
    /// <param name="runReceipts">The receipts of this run, whose read-model status is compared with the ledger.</param>
    public async Task<LedgerSnapshot> CollectAsync(IReadOnlyList<(OfflineJournal Journal, CashTransferClient Terminal)> journals, IReadOnlySet<string> runReceipts, CancellationToken ct)
    {
        var receipts = new List<JournalReceipt>();
        var statuses = new List<ReceiptStatusEntry>();
        foreach (var (journal, terminal) in journals)
            foreach (var o in await journal.OutcomesAsync(ct))
            {
                receipts.Add(new JournalReceipt(journal.TerminalId, o.RedemptionId, o.Sequence, o.Status, o.Reason));
                if (runReceipts.Contains(o.RedemptionId))
                    statuses.Add(new ReceiptStatusEntry(o.RedemptionId, (await terminal.Pos.GetOutcomeAsync(o.RedemptionId, ct)).LedgerStatus));
            }
        var retailer = agency.RetailerId;
        var redemptions = await auditor.Audit.ListRedemptionsByRetailerAsync(retailer, ct)
            .Select(r => new LedgerRedemption(r.RedemptionId, r.TerminalId, r.RetailerId, r.Sequence, r.Amount, r.Status)).ToListAsync(ct);
        var programmes = new List<ProgrammeTotalsView>();
        foreach (var programme in agency.Programmes)
        {
            var t = await auditor.Audit.GetProgrammeTotalsAsync(programme.ProgrammeId, ct);
            programmes.Add(new ProgrammeTotalsView(t.ProgrammeId, t.Currency, t.BudgetMinor, t.Issued, t.Redeemed, t.Reversed, t.Revoked, t.Reclaimed, t.Outstanding));
        }
        var payables = await auditor.Audit.ListPayablesAsync(retailer, ct)
            .Select(p => new PayableEntry(p.RetailerId, p.AgencyMsp, p.RedemptionId, p.Amount.Minor, p.Amount.Currency)).ToListAsync(ct);
        var settlements = new List<SettlementView>();
        foreach (var id in agency.Settlements)
        {
            var s = await auditor.Audit.GetSettlementAsync(id, ct);
            settlements.Add(new SettlementView(s.SettlementId, s.AgencyMsp, s.RetailerId, s.Totals ?? [], s.RedemptionIds));
        }
        var view = (await auditor.GetAsync<List<PayableView>>($"api/audit/read-models/payables/{Uri.EscapeDataString(retailer)}", ct))
            .Select(p => new PayableEntry(p.RetailerId, p.AgencyMsp, p.RedemptionId, p.AmountMinor, p.Currency)).ToList();
        return new LedgerSnapshot([retailer], receipts, redemptions, programmes, payables, settlements, view, statuses);
    }
}
