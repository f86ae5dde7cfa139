using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Fabric.Protocol.Identity;

namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// The canonical bytes that terminals sign, as specified in docs/receipt-encoding.md: a domain tag and then
/// each field in a fixed order, strings as a 4-byte big-endian length and UTF-8 bytes, integers as 8-byte
/// big-endian. Length prefixes leave no ambiguity (no escaping, no number formatting), so the POS SDK can
/// produce the same bytes in any language.
/// </summary>
public static class ReceiptEncoding
{
    public const string ReceiptTag = "cashtransfer/receipt/v1";
    public const string ReversalTag = "cashtransfer/reversal/v1";

    public static byte[] Encode(Receipt r) => new FieldWriter()
        .String(ReceiptTag).String(r.RedemptionId).String(r.TerminalId).Int64(r.Sequence).String(r.PreviousReceiptHash)
        .String(r.BeneficiaryHash).Int64(r.Amount.Minor).String(r.Amount.Currency).String(r.Category).Int64(r.TerminalTimeUnixMs)
        .ToArray();

    public static byte[] Encode(ReversalRequest r) => new FieldWriter()
        .String(ReversalTag).String(r.RedemptionId).String(r.TerminalId).String(r.Reason.ToString()).Int64(r.TerminalTimeUnixMs)
        .ToArray();

    /// <summary>The receipt's hash, which the terminal's next receipt carries as its previous receipt hash.</summary>
    public static string Hash(Receipt receipt) => Convert.ToHexStringLower(SHA256.HashData(Encode(receipt)));

    /// <summary>True when <paramref name="base64Signature"/> is a valid low-S DER ECDSA P-256/SHA-256 signature of <paramref name="message"/> by the PEM key.</summary>
    public static bool Verify(string publicKeyPem, byte[] message, string base64Signature)
    {
        byte[] signature;
        try { signature = Convert.FromBase64String(base64Signature); }
        catch (FormatException) { return false; }
        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        return EcdsaSignatures.Verify(key, message, signature);
    }

    private sealed class FieldWriter
    {
        private readonly MemoryStream _buffer = new();

        public FieldWriter String(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
            _buffer.Write(length);
            _buffer.Write(bytes);
            return this;
        }

        public FieldWriter Int64(long value)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            _buffer.Write(bytes);
            return this;
        }

        public byte[] ToArray() => _buffer.ToArray();
    }
}
