using System.Security.Cryptography;

namespace CashTransfer.Api.Signing;

/// <summary>A P-256 private key held in memory that signs as <see cref="P256Signatures"/> describes.</summary>
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

    public byte[] Sign(ReadOnlySpan<byte> message) => P256Signatures.Sign(key, message);

    public void Dispose() => key.Dispose();
}
