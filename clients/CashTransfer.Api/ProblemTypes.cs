namespace CashTransfer.Api;

/// <summary>
/// The <c>type</c> of the service's RFC 9457 problem details: <c>urn:cashtransfer:problem:&lt;kind&gt;</c>. Clients act
/// on the kind (e.g. a terminal treats <see cref="ReceiptReplayed"/> as already stored).
/// </summary>
public static class ProblemTypes
{
    public const string Prefix = "urn:cashtransfer:problem:";

    public const string ReceiptReplayed = Prefix + "receipt-replayed";
    public const string LedgerUnavailable = Prefix + "ledger-unavailable";
    public const string LedgerNotFound = Prefix + "ledger-not-found";
    public const string LedgerForbidden = Prefix + "ledger-forbidden";
    public const string LedgerConflict = Prefix + "ledger-conflict";
    public const string UploadInvalid = Prefix + "upload-invalid";
    /// <summary>The first request with this Idempotency-Key is still running, or its service died and its claim has not run out yet.</summary>
    public const string IdempotencyInProgress = Prefix + "idempotency-in-progress";

    /// <summary>The kind of a problem type (the part after the prefix), or null when it is not one of ours.</summary>
    public static string? KindOf(string? type) => type is not null && type.StartsWith(Prefix, StringComparison.Ordinal) ? type[Prefix.Length..] : null;
}
