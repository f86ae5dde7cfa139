namespace CashTransfer.Reconciliation.Findings;

/// <summary>How much a finding asks of a person: nothing (information), action, or a ledger defect (critical).</summary>
public enum Severity { Info, Action, Critical }

/// <summary>
/// The kinds of finding ("exceptions" in the auditors' sense), with their severity. docs/reconciliation.md
/// describes each with an example.
/// </summary>
public static class FindingKinds
{
    public const string ReceiptMissingOnLedger = "receipt-missing-on-ledger";
    public const string RedemptionMissingFromJournal = "redemption-missing-from-journal";
    public const string ReceiptContentMismatch = "receipt-content-mismatch";
    public const string ReceiptSignatureInvalid = "receipt-signature-invalid";
    public const string ReceiptInFlight = "receipt-in-flight";
    public const string ReceiptRejected = "receipt-rejected";
    public const string JournalGap = "journal-gap";
    public const string JournalFork = "journal-fork";
    public const string JournalMalformed = "journal-malformed";
    public const string PaymentMissing = "payment-missing";
    public const string PaymentUnknown = "payment-unknown";
    public const string PaymentAmountMismatch = "payment-amount-mismatch";
    public const string PaymentCurrencyMismatch = "payment-currency-mismatch";
    public const string PaymentPayeeMismatch = "payment-payee-mismatch";
    public const string PaymentDuplicate = "payment-duplicate";
    public const string PaymentMalformed = "payment-malformed";
    public const string PayableOverdue = "payable-overdue";
    public const string ProgrammeTotalsBroken = "programme-totals-broken";
    public const string RetailerPayableBroken = "retailer-payable-broken";

    /// <summary>Every kind in report order, with its severity.</summary>
    public static readonly IReadOnlyList<(string Kind, Severity Severity)> All =
    [
        (ReceiptMissingOnLedger, Severity.Action),
        (RedemptionMissingFromJournal, Severity.Action),
        (ReceiptContentMismatch, Severity.Critical),
        (ReceiptSignatureInvalid, Severity.Critical),
        (ReceiptInFlight, Severity.Info),
        (ReceiptRejected, Severity.Info),
        (JournalGap, Severity.Action),
        (JournalFork, Severity.Critical),
        (JournalMalformed, Severity.Action),
        (PaymentMissing, Severity.Action),
        (PaymentUnknown, Severity.Action),
        (PaymentAmountMismatch, Severity.Action),
        (PaymentCurrencyMismatch, Severity.Action),
        (PaymentPayeeMismatch, Severity.Action),
        (PaymentDuplicate, Severity.Action),
        (PaymentMalformed, Severity.Action),
        (PayableOverdue, Severity.Action),
        (ProgrammeTotalsBroken, Severity.Critical),
        (RetailerPayableBroken, Severity.Critical),
    ];

    private static readonly Dictionary<string, Severity> Severities = All.ToDictionary(k => k.Kind, k => k.Severity, StringComparer.Ordinal);

    public static Severity SeverityOf(string kind) =>
        Severities.TryGetValue(kind, out var s) ? s : throw new ArgumentException($"Unknown finding kind {kind}.", nameof(kind));
}
