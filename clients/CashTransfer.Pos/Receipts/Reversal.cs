namespace CashTransfer.Pos.Receipts;

/// <summary>
/// A retailer's request, made at one of its terminals, to reverse an accepted redemption (goods returned, a
/// cashier's mistake). Its JSON is the chaincode's <c>ReversalRequest</c>; the ledger honours it only within the
/// retailer's reversal window (24 h after the redemption was recorded); after that only the paying agency can reverse.
/// </summary>
public sealed record ReversalRequest(string RedemptionId, string TerminalId, string Reason, long TerminalTimeUnixMs);

/// <summary>A reversal request with its terminal's signature: base64 of a low-S DER ECDSA P-256 signature over <see cref="ReceiptEncoding.Encode(ReversalRequest)"/>.</summary>
public sealed record SignedReversal(ReversalRequest Request, string Signature);

/// <summary>Why a redemption is reversed: a code, never free text (free text invites personal data).</summary>
public static class ReversalReasons
{
    public const string GoodsReturned = nameof(GoodsReturned);
    public const string CashierError = nameof(CashierError);
    public const string DuplicateSale = nameof(DuplicateSale);
    public const string Fraud = nameof(Fraud);
    public const string Other = nameof(Other);

    /// <summary>Every code the ledger accepts, spelled as it expects them (case-sensitive).</summary>
    public static IReadOnlyList<string> All { get; } = [GoodsReturned, CashierError, DuplicateSale, Fraud, Other];

    public static bool IsKnown(string? reason) => reason is not null && All.Contains(reason, StringComparer.Ordinal);
}
