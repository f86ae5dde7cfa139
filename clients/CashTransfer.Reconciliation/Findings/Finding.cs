using CashTransfer.Contracts;

namespace CashTransfer.Reconciliation.Findings;

/// <summary>
/// One difference between the sources (an "exception" in the auditors' sense): its kind and severity, the ids it
/// concerns, the amount on the ledger's side and on the other side (journal or payment), the evidence, and the next step.
/// </summary>
/// <param name="Resubmitted">Set when the run submitted the receipt again through the service's outbox.</param>
public sealed record Finding(
    string Kind,
    Severity Severity,
    string Evidence,
    string NextStep,
    string? RedemptionId = null,
    string? TerminalId = null,
    long? Sequence = null,
    string? RetailerId = null,
    string? ProgrammeId = null,
    string? AgencyMsp = null,
    string? PaymentReference = null,
    string? SettlementId = null,
    Money? LedgerAmount = null,
    Money? OtherAmount = null,
    string? Source = null,
    long? Line = null,
    bool Resubmitted = false)
{
    public bool NeedsAction => Severity != Severity.Info;

    public static Finding Of(string kind, string evidence, string nextStep) => new(kind, FindingKinds.SeverityOf(kind), evidence, nextStep);
}
