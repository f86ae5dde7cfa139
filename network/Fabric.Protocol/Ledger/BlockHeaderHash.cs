using System.Formats.Asn1;
using System.Security.Cryptography;
using Common;

namespace Fabric.Protocol.Ledger;

/// <summary>
/// The hash that chains Fabric blocks: SHA-256 of the ASN.1 DER
/// <c>SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }</c>.
/// The next block's <c>header.previous_hash</c> holds it, and orderers sign these DER bytes.
/// </summary>
/// <example><code>bool chained = next.Header.PreviousHash.Span.SequenceEqual(BlockHeaderHash.Compute(block.Header));</code></example>
public static class BlockHeaderHash
{
    /// <summary>The ASN.1 DER bytes of the header (what is hashed, and the tail of what orderers sign).</summary>
    public static byte[] Asn1Der(BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Asn1Der(header.Number, header.PreviousHash.Span, header.DataHash.Span);
    }

    /// <summary>The ASN.1 DER bytes of a header given by its three fields.</summary>
    public static byte[] Asn1Der(ulong number, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> dataHash)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(number);
            writer.WriteOctetString(previousHash);
            writer.WriteOctetString(dataHash);
        }
        return writer.Encode();
    }

    /// <summary>SHA-256 of <see cref="Asn1Der(BlockHeader)"/>: the value the next block's previous_hash must hold.</summary>
    public static byte[] Compute(BlockHeader header) => SHA256.HashData(Asn1Der(header));
}
