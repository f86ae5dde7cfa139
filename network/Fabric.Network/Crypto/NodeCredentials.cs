using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabric.Protocol.Identity;

namespace Fabric.Network.Crypto;

/// <summary>
/// One identity from the crypto material: its MSP folder (signing certificate and key) and its TLS folder
/// (TLS certificate and key), as a node or a client loads them.
/// </summary>
public sealed class NodeCredentials
{
    internal NodeCredentials(string name, string mspId, string mspDirectory, string tlsDirectory, string tlsCertFile, string tlsKeyFile)
    {
        Name = name;
        MspDirectory = mspDirectory;
        TlsDirectory = tlsDirectory;
        var signCert = Directory.GetFiles(Path.Combine(mspDirectory, "signcerts"), "*.pem").Single();
        SignCertificateFile = signCert;
        PrivateKeyFile = Path.Combine(mspDirectory, "keystore", "priv_sk");
        Identity = new X509Identity(mspId, File.ReadAllText(signCert));
        PrivateKeyPem = File.ReadAllText(PrivateKeyFile);
        TlsCertificateFile = Path.Combine(tlsDirectory, tlsCertFile);
        TlsPrivateKeyFile = Path.Combine(tlsDirectory, tlsKeyFile);
    }

    /// <summary>e.g. <c>peer0.wfp.example.com</c> or <c>User1@wfp.example.com</c>.</summary>
    public string Name { get; }
    public string MspDirectory { get; }
    public string TlsDirectory { get; }
    public string SignCertificateFile { get; }
    public string PrivateKeyFile { get; }
    public string TlsCertificateFile { get; }
    public string TlsPrivateKeyFile { get; }
    public X509Identity Identity { get; }
    public string PrivateKeyPem { get; }

    /// <summary>A signer for this identity's key (low-S ECDSA, as Fabric requires).</summary>
    public EcdsaSigner CreateSigner() => EcdsaSigner.FromPem(PrivateKeyPem);

    /// <summary>The TLS certificate with its private key, usable by a server or as a client certificate.</summary>
    public X509Certificate2 LoadTlsCertificate()
    {
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(TlsCertificateFile));
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(TlsPrivateKeyFile));
        using var withKey = cert.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so that the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }
}
