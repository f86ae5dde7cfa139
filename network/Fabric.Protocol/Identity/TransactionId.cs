using System.Security.Cryptography;

namespace Fabric.Protocol.Identity;

/// <summary>Fabric's transaction id rule: lowercase hex of SHA-256(nonce || creator).</summary>
public static class TransactionId
{
    /// <summary>Fabric clients use 24-byte random nonces.</summary>
    public const int NonceLength = 24;

    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceLength);

    public static string Compute(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> serializedCreator)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(nonce);
        sha.AppendData(serializedCreator);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
