using System.Security.Cryptography;
using Fabric.Ecdsa;

namespace Fabric.Protocol.Identity;

/// <summary>
/// Signs with an in-memory ECDSA P-256 key as Fabric expects: SHA-256, DER, and S in the lower half of
/// the curve order, because Fabric rejects high-S signatures and .NET produces them about half the time.
/// </summary>
/// <example><code>var signer = EcdsaSigner.FromPem(File.ReadAllText("keystore/priv_sk"));</code></example>
public sealed class EcdsaSigner : ISigner, IDisposable
{
    private readonly ECDsa _key;

    public EcdsaSigner(ECDsa key) => _key = key;

    /// <summary>Loads a PKCS#8 or SEC1 PEM private key.</summary>
    public static EcdsaSigner FromPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return new EcdsaSigner(key);
    }

    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(message, digest);
        return SignDigest(digest);
    }

    /// <summary>Signs a SHA-256 digest computed elsewhere (offline signing flows hand out digests).</summary>
    public byte[] SignDigest(ReadOnlySpan<byte> digest) => EcdsaSignatures.SignDigest(_key, digest);

    public void Dispose() => _key.Dispose();
}
