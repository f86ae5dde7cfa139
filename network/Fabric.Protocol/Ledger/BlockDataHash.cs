using System.Security.Cryptography;
using Common;

namespace Fabric.Protocol.Ledger;

/// <summary>
/// Fabric's block data hash: SHA-256 of the concatenation of every <c>data.data[i]</c> (the serialized
/// envelopes), as <c>header.data_hash</c> holds it.
/// </summary>
public static class BlockDataHash
{
    public static byte[] Compute(BlockData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var envelope in data.Data) sha.AppendData(envelope.Span);
        return sha.GetHashAndReset();
    }
}
