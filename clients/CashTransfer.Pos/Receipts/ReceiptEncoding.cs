using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Fabric.Protocol.Identity;

namespace CashTransfer.Pos.Receipts;

/// <summary>
/// The bytes a terminal signs for a receipt (domain tag <c>cashtransfer/receipt/v1</c>) or a reversal request
/// (<c>cashtransfer/reversal/v1</c>): the tag, then each field in a fixed order, strings as a 4-byte big-endian
/// length and UTF-8, integers as 8-byte big-endian. It must stay byte-identical to the chaincode's ReceiptEncoding
/// (a test compares them), or the ledger refuses every receipt.
/// </summary>
public static class ReceiptEncoding
{
    public const string ReceiptTag = "cashtransfer/receipt/v1";
    public const string ReversalTag = "cashtransfer/reversal/v1";

    /// <summary>The previous hash of a terminal's first receipt.</summary>
    public static readonly string GenesisHash = new('0', 64);

    public static byte[] Encode(Receipt r)
    {
        var buffer = new MemoryStream(256);
        WriteString(buffer, ReceiptTag);
        WriteString(buffer, r.RedemptionId);
        WriteString(buffer, r.TerminalId);
        WriteInt64(buffer, r.Sequence);
        WriteString(buffer, r.PreviousReceiptHash);
        WriteString(buffer, r.BeneficiaryHash);
        WriteInt64(buffer, r.Amount.Minor);
        WriteString(buffer, r.Amount.Currency);
        WriteString(buffer, r.Category);
        WriteInt64(buffer, r.TerminalTimeUnixMs);
        return buffer.ToArray();
    }

    public static byte[] Encode(ReversalRequest r)
    {
        var buffer = new MemoryStream(128);
        WriteString(buffer, ReversalTag);
        WriteString(buffer, r.RedemptionId);
        WriteString(buffer, r.TerminalId);
        WriteString(buffer, r.Reason);
        WriteInt64(buffer, r.TerminalTimeUnixMs);
        return buffer.ToArray();
    }

    /// <summary>SHA-256 of the encoding as 64 lowercase hex characters.</summary>
    public static string Hash(Receipt receipt) => Convert.ToHexStringLower(SHA256.HashData(Encode(receipt)));

    /// <summary>Signs the receipt's encoding (low-S DER, base64).</summary>
    public static SignedReceipt Sign(Receipt receipt, ISigner signer) => new(receipt, Convert.ToBase64String(signer.Sign(Encode(receipt))));

    /// <summary>Signs the reversal request's encoding (low-S DER, base64).</summary>
    public static SignedReversal Sign(ReversalRequest request, ISigner signer) => new(request, Convert.ToBase64String(signer.Sign(Encode(request))));

    /// <summary>True when the signature is a valid low-S ECDSA P-256 signature of the receipt by the key.</summary>
    public static bool Verify(SignedReceipt signed, ECDsa publicKey) => Verify(Encode(signed.Receipt), signed.Signature, publicKey);

    /// <summary>True when the signature is a valid low-S ECDSA P-256 signature of the reversal request by the key.</summary>
    public static bool Verify(SignedReversal signed, ECDsa publicKey) => Verify(Encode(signed.Request), signed.Signature, publicKey);

    private static bool Verify(byte[] message, string? base64Signature, ECDsa publicKey)
    {
        byte[] signature;
        try { signature = Convert.FromBase64String(base64Signature ?? ""); }
        catch (FormatException) { return false; }
        return signature.Length > 0 && EcdsaSignatures.Verify(publicKey, message, signature);
    }

    private static void WriteString(Stream buffer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }

    private static void WriteInt64(Stream buffer, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        buffer.Write(bytes);
    }
}
