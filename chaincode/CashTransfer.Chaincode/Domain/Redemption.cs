using System.Text.Json.Serialization;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<RedemptionStatus>))]
public enum RedemptionStatus { Accepted, Rejected, Reversed }

/// <summary>Why a validly signed receipt was refused. Recorded on the ledger so that the terminal learns the outcome.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RejectionCode>))]
public enum RejectionCode
{
    TerminalSuspended,
    RetailerSuspended,
    TerminalTimeInFuture,
    NoEntitlement,
    CurrencyMismatch,
    NoActiveEntitlement,
    OutsideValidityWindow,
    RetailerNotAllowed,
    CategoryNotAllowed,
    InsufficientBalance,
    /// <summary>Signed with a key the terminal had replaced before the sale was made and acknowledged.</summary>
    KeyRetired,
    /// <summary>Signed with a key reported lost or stolen, dated after the report and not acknowledged before it.</summary>
    KeyReportedLost,
}

public sealed record Rejection(RejectionCode Code, string Message);

/// <summary>The part of a redemption taken from one entitlement.</summary>
public sealed record Allocation(string ProgrammeId, string Cycle, string OwnerMsp, long AmountMinor);

/// <summary>
/// The recorded outcome of a receipt, keyed by its redemption id: accepted (with the allocation across
/// entitlements), rejected (with the reason), or later reversed. A repeated redemption id returns this record.
/// </summary>
public sealed record Redemption(
    string RedemptionId,
    string TerminalId,
    string RetailerId,
    long Sequence,
    string ReceiptHash,
    string BeneficiaryHash,
    Money Amount,
    string Category,
    long TerminalTimeUnixMs,
    DateTimeOffset RecordedAt,
    string TxId,
    RedemptionStatus Status,
    Rejection? Rejection,
    IReadOnlyList<Allocation> Allocations,
    Reversal? Reversal,
    int? KeyVersion = null,
    long? AcknowledgedAtUnixMs = null);
