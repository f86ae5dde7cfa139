using CashTransfer.Contracts;

namespace CashTransfer.Api;

// Request and response bodies of the REST API, defined once for the service and its clients. Records mirror the
// chaincode's arguments where they are passed on; what the chaincode answers is in LedgerRecords.

public sealed record SpendingRestrictionDto(string Kind, IReadOnlyList<string>? Categories);

/// <summary>A new programme: id, budget cap (minor units and currency), validity window, priority (lower is spent first), restriction, retailers.</summary>
public sealed record ProgrammeDefinitionDto(string ProgrammeId, Money Budget, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, int Priority,
    SpendingRestrictionDto Restriction, IReadOnlyList<string>? AllowedRetailers);

public sealed record ProgrammeStatusDto(string Status);

public sealed record RetailerRegistrationDto(string RetailerId, IReadOnlyList<string> Categories);

public sealed record TerminalRegistrationDto(string TerminalId, string RetailerId, string PublicKeyPem);

public sealed record TerminalKeyDto(string PublicKeyPem);

/// <summary>Why a terminal is suspended: <c>Routine</c> (the default) or <c>LossOrTheft</c>, which keeps its current key refused for sales dated later.</summary>
public sealed record TerminalSuspensionDto(string? Reason)
{
    public const string Routine = "Routine";
}

/// <summary>An agency's reversal of a redemption its programmes paid for: the reason code (see <c>ReversalReasons</c>).</summary>
public sealed record AgencyReversalDto(string Reason);

public sealed record SettlementRequestDto(string SettlementId, string RetailerId, DateTimeOffset CutOff, string PaymentReference);

/// <summary>A bulk upload job: where it stands and where its per-row results are.</summary>
public sealed record BulkJobDto(string JobId, string ProgrammeId, string Cycle, string Status, long TotalRows, long ProcessedRows, long IssuedRows,
    long FailedRows, string? Error, string ResultsUrl);

/// <summary>A receipt's outcome as a terminal sees it: received, submitted, committed, or rejected with a reason.</summary>
public sealed record ReceiptOutcomeDto(string RedemptionId, long Sequence, string Status, string? Reason, string? ReasonDetail, long Attempts, string? TxId, string? LedgerStatus);

/// <summary>One entitlement's spendable balance.</summary>
public sealed record BalanceDto(string ProgrammeId, string Cycle, Money Balance, DateTimeOffset ValidUntil);

public sealed record BalancesDto(string BeneficiaryHash, IReadOnlyList<BalanceDto> Entitlements, string Source);

/// <summary>An upload of offline-queued receipts from one terminal, in journal order.</summary>
public sealed record ReceiptBatch(string TerminalId, IReadOnlyList<SignedReceipt> Receipts);

/// <summary>One receipt as the gateway acknowledges it.</summary>
public sealed record AcknowledgedReceipt(string RedemptionId, long Sequence, string ReceiptHash, string Status);

/// <summary>What the gateway answers once a batch is stored: the receipts and where the terminal's journal now stands.</summary>
public sealed record BatchAcknowledgement(string TerminalId, int Accepted, long LastSequence, string LastReceiptHash, IReadOnlyList<AcknowledgedReceipt> Receipts);

/// <summary>Adds to one beneficiary's entitlement in a programme and cycle (the programme's budget must cover it).</summary>
public sealed record EntitlementTopUpDto(string ProgrammeId, string Cycle, string BeneficiaryHash, long AmountMinor);

/// <summary>Ends one beneficiary's entitlement; its balance returns to the programme. Reason: Ineligible, Duplicate, Deceased, Relocated, Fraud or Other.</summary>
public sealed record EntitlementRevocationDto(string ProgrammeId, string Cycle, string BeneficiaryHash, string Reason);

/// <summary>Returns the balances of up to <c>Limit</c> (1-10,000) expired entitlements of a programme's cycle to the programme.</summary>
public sealed record ExpiredReclaimDto(string ProgrammeId, string Cycle, int Limit);

/// <summary>A gap or fork found in a terminal's upload.</summary>
public sealed record JournalAnomaly(string AnomalyId, string TerminalId, string Kind, long ExpectedSequence, long ReceivedSequence, string Detail, long DetectedAt);
