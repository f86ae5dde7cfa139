using System.Text.Json;
using CashTransfer.Contracts;

namespace CashTransfer.Api;

// What the chaincode answers, as the service passes it on (operator and auditor endpoints answer the chaincode's JSON
// unchanged) and as the service itself reads it. Codes (status, rejection code, outcome) are text rather than the
// chaincode's enums, so that a newer chaincode adding a code cannot break an older service or client
// (System.Text.Json refuses an unknown enum name). docs/chaincode-functions.md describes every field.

/// <summary>Why the ledger refused a redemption: a code (e.g. <c>InsufficientBalance</c>) and a message.</summary>
public sealed record RejectionRecord(string Code, string Message);

/// <summary>The part of a redemption one programme's entitlement paid.</summary>
public sealed record AllocationRecord(string ProgrammeId, string Cycle, string OwnerMsp, long AmountMinor);

/// <summary>Who reversed a redemption (<c>Retailer</c> or <c>OwningAgency</c>), the terminal or agency that asked, why and when.</summary>
public sealed record ReversalRecord(string By, string ActorId, string Reason, DateTimeOffset ReversedAt, string TxId);

/// <summary>
/// The recorded outcome of a receipt: Accepted, Rejected (with the reason) or Reversed (with the reversal); the key
/// version that verified it and when the service acknowledged it, when known.
/// </summary>
public sealed record RedemptionRecord(
    string RedemptionId,
    string TerminalId,
    string RetailerId,
    long Sequence,
    string ReceiptHash,
    string BeneficiaryHash,
    Money Amount,
    string Category,
    string Status,
    RejectionRecord? Rejection,
    IReadOnlyList<AllocationRecord>? Allocations,
    DateTimeOffset RecordedAt,
    string TxId,
    long TerminalTimeUnixMs = 0,
    ReversalRecord? Reversal = null,
    int? KeyVersion = null,
    long? AcknowledgedAtUnixMs = null);

/// <summary>What a programme's entitlements may buy: <c>Cash</c>, or a <c>Voucher</c> for the listed categories.</summary>
public sealed record SpendingRestrictionRecord(string Kind, IReadOnlyList<string>? Categories);

/// <summary>An assistance programme as the ledger holds it; <c>Status</c> is Active, Suspended or Closed; <c>Budget</c> is the cap as money.</summary>
public sealed record ProgrammeRecord(string ProgrammeId, string OwnerMsp, string Currency, long BudgetMinor, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil,
    int Priority, SpendingRestrictionRecord Restriction, IReadOnlyList<string> AllowedRetailers, string Status, Money? Budget = null);

/// <summary>A period a retailer was suspended: from, until (null while it lasts).</summary>
public sealed record RetailerSuspensionRecord(DateTimeOffset From, DateTimeOffset? Until);

/// <summary>
/// A retailer as the ledger holds it; <c>Status</c> is Active or Suspended. While it is suspended, no sale of its
/// terminals counts (docs/chaincode-functions.md, "Suspended retailers").
/// </summary>
public sealed record RetailerRecord(string RetailerId, string RegisteredBy, IReadOnlyList<string> Categories, string Status,
    IReadOnlyList<RetailerSuspensionRecord>? Suspensions = null);

/// <summary>
/// A POS terminal as the ledger holds it: its retailer, registered key (and its version), status and registering agency,
/// and the keys it replaced and the periods it was suspended (docs/terminal-keys.md; absent on records written before).
/// </summary>
public sealed record TerminalLedgerRecord(string TerminalId, string RetailerId, string PublicKeyPem, int KeyVersion, string Status, string RegisteredBy,
    IReadOnlyList<RetiredKey>? RetiredKeys = null, IReadOnlyList<SuspensionPeriod>? Suspensions = null)
{
    /// <summary>What <see cref="KeyInForceRule"/> judges this terminal's receipts against.</summary>
    public TerminalKeyHistory KeyHistory() => new(TerminalId, PublicKeyPem, KeyVersion, Status != "Active", RetiredKeys ?? [], Suspensions ?? []);
}

/// <summary>One beneficiary's entitlement in one programme and cycle; <c>Balance</c> is what is left to spend.</summary>
public sealed record EntitlementRecord(string ProgrammeId, string Cycle, string BeneficiaryHash, string OwnerMsp, string Currency, DateTimeOffset ValidUntil,
    long Issued, long Redeemed, long Reversed, long Revoked, long Reclaimed, long Balance, string Status, DateTimeOffset? ValidFrom = null);

/// <summary>A recorded settlement: totals per currency and the redemptions it paid.</summary>
public sealed record SettlementRecord(string SettlementId, string AgencyMsp, string RetailerId, DateTimeOffset CutOff, string PaymentReference,
    IReadOnlyList<Money>? Totals, IReadOnlyList<string> RedemptionIds, DateTimeOffset SettledAt, string TxId);

/// <summary>What one agency owes one retailer for one redemption (unsettled), and which of its programmes' entitlements paid it.</summary>
public sealed record PayableRecord(string RetailerId, string AgencyMsp, string RedemptionId, Money Amount, DateTimeOffset RecordedAt,
    IReadOnlyList<AllocationRecord>? Allocations = null);

/// <summary>
/// A programme's totals over one page of its entitlements; add pages with <see cref="Add"/> until the bookmark is
/// empty (the client's <c>GetProgrammeTotalsAsync</c> does). Issued = Redeemed - Reversed + Revoked + Reclaimed + Outstanding.
/// </summary>
public sealed record ProgrammeTotalsRecord(string ProgrammeId, string Currency, long BudgetMinor, long BudgetIssuedMinor, int Entitlements,
    long Issued, long Redeemed, long Reversed, long Revoked, long Reclaimed, long Outstanding, string Bookmark)
{
    public ProgrammeTotalsRecord Add(ProgrammeTotalsRecord next) => this with
    {
        Entitlements = Entitlements + next.Entitlements,
        Issued = checked(Issued + next.Issued),
        Redeemed = checked(Redeemed + next.Redeemed),
        Reversed = checked(Reversed + next.Reversed),
        Revoked = checked(Revoked + next.Revoked),
        Reclaimed = checked(Reclaimed + next.Reclaimed),
        Outstanding = checked(Outstanding + next.Outstanding),
        Bookmark = next.Bookmark,
    };
}

/// <summary>One version of a ledger record: the transaction that wrote it, when, and its value (or its deletion).</summary>
public sealed record HistoryRecord(string TxId, DateTimeOffset Timestamp, bool IsDelete, JsonElement? Value);

/// <summary>Another agency's assistance to a beneficiary in a period, without amounts (a band) or personal data.</summary>
public sealed record AssistanceRecord(string AgencyMsp, string Category, string AmountBand);

/// <summary>A row's outcome in a bulk issue: Issued, AlreadyIssued or ConflictsWithExisting (rows from 0).</summary>
public sealed record GrantResultRecord(int Row, string Outcome);

/// <summary>What one issue of up to 10,000 entitlements did.</summary>
public sealed record IssueResultRecord(string ProgrammeId, string Cycle, int IssuedCount, IReadOnlyList<GrantResultRecord> Rows,
    Money? IssuedTotal = null, Money? BudgetRemaining = null);

/// <summary>What a reclaim of expired entitlements did; <c>MoreRemain</c> says whether to call again.</summary>
public sealed record ReclaimResultRecord(string ProgrammeId, string Cycle, int ReclaimedCount, Money ReclaimedTotal, bool MoreRemain);
