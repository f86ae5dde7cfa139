using CashTransfer.Contracts;

namespace CashTransfer.Reconciliation.Model;

/// <summary>Where the terminal journal copies come from, as they appear in findings.</summary>
public static class JournalOrigin
{
    /// <summary>The receipts the gateway service received (already signature-checked at intake).</summary>
    public const string Service = "service";
}

/// <summary>
/// One line of a terminal journal source: a signed receipt, or a line that could not be read (then
/// <see cref="Problem"/> says why). <see cref="SignatureChecked"/> is true when the source already verified the
/// terminal's signature (the service's intake does); otherwise the reconciliation checks it.
/// </summary>
/// <param name="Source">The journal's name in findings: <c>service</c>, or a file name such as <c>T-001.ndjson</c>.</param>
/// <param name="Line">1-based line in the file (the service's receipts are numbered in the order read).</param>
/// <param name="ServiceStatus">For receipts the service holds: its outbox status (received, submitted, committed, rejected).</param>
/// <param name="ReceiptHash">The receipt's <see cref="ReceiptEncoding.Hash"/>, computed once when read (sorting compares it often).</param>
public sealed record JournalLine(string Source, long Line, SignedReceipt? Receipt, string? ReceiptHash, string? Problem, bool SignatureChecked, string? ServiceStatus = null)
{
    public static JournalLine Of(string source, long line, SignedReceipt receipt, bool signatureChecked, string? serviceStatus = null) =>
        new(source, line, receipt, ReceiptEncoding.Hash(receipt.Receipt), null, signatureChecked, serviceStatus);

    public static JournalLine Malformed(string source, long line, string problem) => new(source, line, null, null, problem, false);
}
