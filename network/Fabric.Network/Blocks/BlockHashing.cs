using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using Common;

namespace Fabric.Network.Blocks;

/// <summary>Block hashes exactly as Fabric computes them.</summary>
public static class BlockHashing
{
    /// <summary>The ASN.1 DER <c>SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }</c>.</summary>
    public static byte[] HeaderBytes(BlockHeader header)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new BigInteger(header.Number));
            writer.WriteOctetString(header.PreviousHash.Span);
            writer.WriteOctetString(header.DataHash.Span);
        }
        return writer.Encode();
    }

    /// <summary>SHA-256 of the ASN.1 header bytes: what the next block's previous_hash holds.</summary>
    public static byte[] HeaderHash(BlockHeader header) => SHA256.HashData(HeaderBytes(header));

    /// <summary>SHA-256 of the concatenation of the block's data entries.</summary>
    public static byte[] DataHash(BlockData data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in data.Data) sha.AppendData(entry.Span);
        return sha.GetHashAndReset();
    }
}
