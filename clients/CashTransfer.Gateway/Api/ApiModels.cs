using CashTransfer.Contracts;

namespace CashTransfer.Gateway.Api;

// Request and response bodies of the REST API. Records mirror the chaincode's arguments where they are passed on.

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
