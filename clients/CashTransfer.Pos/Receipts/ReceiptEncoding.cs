using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Fabric.Protocol.Identity;

namespace CashTransfer.Pos.Receipts;

/// <summary>
/// The bytes a terminal signs for a receipt: the domain tag <c>cashtransfer/receipt/v1</c>, then each field in a
/// fixed order, strings as a 4-byte big-endian length and UTF-8, integers as 8-byte big-endian. It must stay
/// byte-identical to the chaincode's ReceiptEncoding (a test compares them), or the ledger refuses every receipt.
/// </summary>
public static class ReceiptEncoding
{
    public const string ReceiptTag = "cashtransfer/receipt/v1";

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

    /// <summary>SHA-256 of the encoding as 64 lowercase hex characters.</summary>
    public static string Hash(Receipt receipt) => Convert.ToHexStringLower(SHA256.HashData(Encode(receipt)));

    /// <summary>Signs the receipt's encoding (low-S DER, base64).</summary>
    public static SignedReceipt Sign(Receipt receipt, ISigner signer) => new(receipt, Convert.ToBase64String(signer.Sign(Encode(receipt))));

    /// <summary>True when the signature is a valid low-S ECDSA P-256 signature of the receipt by the key.</summary>
    public static bool Verify(SignedReceipt signed, ECDsa publicKey)
    {
        byte[] signature;
        try { signature = Convert.FromBase64String(signed.Signature ?? ""); }
        catch (FormatException) { return false; }
        return signature.Length > 0 && EcdsaSignatures.Verify(publicKey, Encode(signed.Receipt), signature);
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
