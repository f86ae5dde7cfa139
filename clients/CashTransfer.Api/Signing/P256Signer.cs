using System.Security.Cryptography;
using Fabric.Ecdsa;

namespace CashTransfer.Api.Signing;

/// <summary>
/// A P-256 private key held in memory. It signs SHA-256 with S in the lower half of the curve order, the rule Fabric
/// and the chaincode apply (.NET produces high S about half the time): <see cref="EcdsaSignatures"/> holds that rule once.
/// </summary>
/// <example><code>using var signer = P256Signer.FromPem(File.ReadAllText("operator.key.pem"));</code></example>
public sealed class P256Signer(ECDsa key) : IP256Signer, IDisposable
{
    /// <summary>Loads a PKCS#8 or SEC1 PEM private key.</summary>
    public static P256Signer FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return new P256Signer(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The public key (SubjectPublicKeyInfo PEM) that verifies this signer's signatures.</summary>
    public string PublicKeyPem => key.ExportSubjectPublicKeyInfoPem();

    public byte[] Sign(ReadOnlySpan<byte> message) => EcdsaSignatures.SignDigest(key, SHA256.HashData(message));

    public void Dispose() => key.Dispose();
}
