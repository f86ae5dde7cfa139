namespace CashTransfer.Contracts;

/// <summary>A reversal request with its terminal's signature: base64 of a low-S DER ECDSA P-256/SHA-256 signature over <see cref="ReceiptEncoding.Encode(ReversalRequest)"/>.</summary>
/// <param name="Request">The request.</param>
/// <param name="Signature">Base64 of the DER signature.</param>
public sealed record SignedReversal(ReversalRequest Request, string Signature);
