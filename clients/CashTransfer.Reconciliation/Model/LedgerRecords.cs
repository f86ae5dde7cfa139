using CashTransfer.Contracts;

namespace CashTransfer.Reconciliation.Model;

/// <summary>Statuses of a ledger redemption, as the chaincode names them.</summary>
public static class LedgerStatus
{
    public const string Accepted = "Accepted";
    public const string Rejected = "Rejected";
    public const string Reversed = "Reversed";
}

/// <summary>The part of a redemption paid from one programme's entitlement, owned by one agency.</summary>
public sealed record LedgerAllocation(string ProgrammeId, string OwnerMsp, long AmountMinor);

/// <summary>A redemption as the ledger recorded it: the receipt's identity and hash, the outcome, and what it was paid from.</summary>
public sealed record LedgerRedemption(
    string RedemptionId,
    string TerminalId,
    string RetailerId,
    long Sequence,
    string ReceiptHash,
    Money Amount,
    string Status,
    string? RejectionCode,
    DateTimeOffset RecordedAt,
    IReadOnlyList<LedgerAllocation> Allocations);

/// <summary>What one agency still owes one retailer for one redemption (an unsettled payable delta).</summary>
public sealed record LedgerPayable(string RetailerId, string AgencyMsp, string RedemptionId, Money Amount, DateTimeOffset RecordedAt);

/// <summary>A recorded settlement: the payment reference it promises and its totals per currency.</summary>
public sealed record LedgerSettlement(
    string SettlementId,
    string AgencyMsp,
    string RetailerId,
    string PaymentReference,
    IReadOnlyList<Money> Totals,
    int Redemptions,
    DateTimeOffset SettledAt);

/// <summary>A programme's totals summed over all its pages.</summary>
public sealed record LedgerProgrammeTotals(
    string ProgrammeId,
    string Currency,
    long BudgetMinor,
    long Issued,
    long Redeemed,
    long Reversed,
    long Revoked,
    long Reclaimed,
    long Outstanding);

/// <summary>A terminal as the ledger registered it: its retailer, and its keys over time (current, retired) and suspensions.</summary>
public sealed record LedgerTerminal(string TerminalId, string RetailerId, TerminalKeyHistory Keys);
