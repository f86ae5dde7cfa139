using System.Security.Cryptography;
using CashTransfer.Contracts;
using CashTransfer.Api.Signing;

namespace CashTransfer.Pos.Receipts;

/// <summary>
/// Signing and checking <see cref="ReceiptEncoding"/> bytes with a terminal's key: low-S DER ECDSA P-256 over
/// SHA-256, base64, as the chaincode verifies them. Called as <c>ReceiptEncoding.Sign(receipt, signer)</c>.
/// </summary>
/// <example><code>var signed = ReceiptEncoding.Sign(receipt, terminalSigner);
/// bool genuine = ReceiptEncoding.Verify(signed, registeredPublicKey);</code></example>
public static class ReceiptSigning
{
    extension(ReceiptEncoding)
    {
        /// <summary>Signs the receipt's encoding (low-S DER, base64).</summary>
        public static SignedReceipt Sign(Receipt receipt, IP256Signer signer) => new(receipt, Convert.ToBase64String(signer.Sign(ReceiptEncoding.Encode(receipt))));

        /// <summary>Signs the reversal request's encoding (low-S DER, base64).</summary>
        public static SignedReversal Sign(ReversalRequest request, IP256Signer signer) => new(request, Convert.ToBase64String(signer.Sign(ReceiptEncoding.Encode(request))));

        /// <summary>True when the signature is a valid low-S ECDSA P-256 signature of the receipt by the key.</summary>
        public static bool Verify(SignedReceipt signed, ECDsa publicKey) => IsSignedBy(ReceiptEncoding.Encode(signed.Receipt), signed.Signature, publicKey);

        /// <summary>True when the signature is a valid low-S ECDSA P-256 signature of the reversal request by the key.</summary>
        public static bool Verify(SignedReversal signed, ECDsa publicKey) => IsSignedBy(ReceiptEncoding.Encode(signed.Request), signed.Signature, publicKey);
    }

    private static bool IsSignedBy(byte[] message, string? base64Signature, ECDsa publicKey)
    {
        byte[] signature;
        try { signature = Convert.FromBase64String(base64Signature ?? ""); }
        catch (FormatException) { return false; }
        return signature.Length > 0 && Fabric.Ecdsa.EcdsaSignatures.Verify(publicKey, message, signature);
    }
}
