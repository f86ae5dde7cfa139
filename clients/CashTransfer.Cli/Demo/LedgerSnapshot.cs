using CashTransfer.Contracts;

namespace CashTransfer.Cli.Demo;

/// <summary>A receipt as its terminal's journal holds it, with the outcome the gateway reported (committed, rejected, or not final).</summary>
public sealed record JournalReceipt(string TerminalId, string RedemptionId, long Sequence, string? Status, string? Reason);

/// <summary>A redemption as the chaincode recorded it (Accepted, Rejected or Reversed).</summary>
public sealed record LedgerRedemption(string RedemptionId, string TerminalId, string RetailerId, long Sequence, Money Amount, string Status);

/// <summary>A programme's totals as the chaincode reports them, summed over its pages.</summary>
public sealed record ProgrammeTotalsView(string ProgrammeId, string Currency, long BudgetMinor, long Issued, long Redeemed, long Reversed,
    long Revoked, long Reclaimed, long Outstanding);

/// <summary>What one agency owes one retailer for one redemption (the chaincode's payable delta, or the gateway's read model of it).</summary>
public sealed record PayableEntry(string RetailerId, string AgencyMsp, string RedemptionId, long AmountMinor, string Currency);

/// <summary>A recorded settlement: what it paid per currency and which redemptions.</summary>
public sealed record SettlementView(string SettlementId, string AgencyMsp, string RetailerId, IReadOnlyList<Money> Totals, IReadOnlyList<string> RedemptionIds);

/// <summary>A receipt's status in the gateway's read model (projected from chaincode events), to compare with the ledger.</summary>
public sealed record ReceiptStatusEntry(string RedemptionId, string? Status);

/// <summary>
/// Everything the invariant checker looks at, gathered after a demo run: the terminals' journals, the chaincode's
/// queries (through the gateway's auditor API), and the gateway's read models.
/// </summary>
public sealed record LedgerSnapshot(
    IReadOnlyList<string> Retailers,
    IReadOnlyList<JournalReceipt> Journals,
    IReadOnlyList<LedgerRedemption> Redemptions,
    IReadOnlyList<ProgrammeTotalsView> Programmes,
    IReadOnlyList<PayableEntry> LedgerPayables,
    IReadOnlyList<SettlementView> Settlements,
    IReadOnlyList<PayableEntry> ReadModelPayables,
    IReadOnlyList<ReceiptStatusEntry> ReadModelReceiptStatuses);
