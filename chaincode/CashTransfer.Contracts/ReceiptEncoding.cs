using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CashTransfer.Contracts;

/// <summary>
/// The canonical bytes a terminal signs and the chaincode verifies, as specified in docs/receipt-encoding.md: a
/// domain tag, then each field in a fixed order, strings as a 4-byte big-endian length and UTF-8, integers as 8-byte
/// big-endian. Length prefixes leave no ambiguity (no escaping, no number formatting), so a terminal can produce the
/// same bytes in any language. Signing and verifying (low-S DER ECDSA P-256) live with the keys: the POS SDK signs,
/// the chaincode verifies.
/// </summary>
/// <example><code>byte[] toSign = ReceiptEncoding.Encode(receipt);
/// string next = ReceiptEncoding.Hash(receipt); // the next receipt's PreviousReceiptHash</code></example>
public static class ReceiptEncoding
{
    /// <summary>The domain tag that opens a receipt's encoding, so a receipt's signature can never pass for another message's.</summary>
    public const string ReceiptTag = "cashtransfer/receipt/v1";

    /// <summary>The domain tag that opens a reversal request's encoding.</summary>
    public const string ReversalTag = "cashtransfer/reversal/v1";

    /// <summary>The previous receipt hash of a terminal's first receipt: 64 zeros.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>The bytes a terminal signs for <paramref name="r"/>.</summary>
    /// <exception cref="ArgumentException">A field is missing (JSON null): there is nothing to sign.</exception>
    public static byte[] Encode(Receipt r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var amount = r.Amount ?? throw new ArgumentException("The receipt has no amount; it cannot be encoded.", nameof(r));
        return new FieldWriter("receipt")
            .String(ReceiptTag, "tag").String(r.RedemptionId, "redemptionId").String(r.TerminalId, "terminalId").Int64(r.Sequence)
            .String(r.PreviousReceiptHash, "previousReceiptHash").String(r.BeneficiaryHash, "beneficiaryHash").Int64(amount.Minor)
            .String(amount.Currency, "amount.currency").String(r.Category, "category").Int64(r.TerminalTimeUnixMs)
            .ToArray();
    }

    /// <summary>The bytes a terminal signs for <paramref name="r"/>.</summary>
    /// <exception cref="ArgumentException">A field is missing (JSON null): there is nothing to sign.</exception>
    public static byte[] Encode(ReversalRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new FieldWriter("reversal request")
            .String(ReversalTag, "tag").String(r.RedemptionId, "redemptionId").String(r.TerminalId, "terminalId").String(r.Reason, "reason")
            .Int64(r.TerminalTimeUnixMs)
            .ToArray();
    }

    /// <summary>SHA-256 of the receipt's encoding as 64 lowercase hex characters; the next receipt of the terminal carries it as its previous hash.</summary>
    public static string Hash(Receipt receipt) => Convert.ToHexStringLower(SHA256.HashData(Encode(receipt)));

    private sealed class FieldWriter(string what)
    {
        private readonly MemoryStream _buffer = new(256);

        public FieldWriter String(string? value, string field)
        {
            if (value is null) throw new ArgumentException($"The {what}'s {field} is missing; it cannot be encoded.", field);
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
