using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabric.Protocol.Identity;

namespace Fabric.Protocol.Msp;

/// <summary>
/// An MSP folder in the layout cryptogen and Fabric CA write: <c>signcerts/*.pem</c> (the identity),
/// <c>keystore/*</c> (its private key, <c>priv_sk</c> or <c>&lt;ski&gt;_sk</c>), <c>cacerts</c>,
/// <c>intermediatecerts</c>, <c>tlscacerts</c>, <c>tlsintermediatecerts</c> and <c>config.yaml</c> (NodeOUs).
/// An organisation's own msp folder has no signcerts; a peer's may have no keystore here.
/// </summary>
/// <example><code>
/// using var msp = MspFolder.Load("crypto/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp", "Org1MSP");
/// byte[] signature = msp.Signer!.Sign(proposalBytes);
/// </code></example>
public sealed class MspFolder : IDisposable
{
    private MspFolder(string path, string mspId)
    {
        Path = path;
        MspId = mspId;
    }

    public string Path { get; }

    public string MspId { get; }

    /// <summary>The signing identity from signcerts, or null when the folder has none (an organisation MSP).</summary>
    public X509Identity? Identity { get; private init; }

    /// <summary>The key matching <see cref="Identity"/> from keystore, or null when the folder has no key.</summary>
    public EcdsaSigner? Signer { get; private init; }

    public IReadOnlyList<X509Certificate2> CaCertificates { get; private init; } = [];

    public IReadOnlyList<X509Certificate2> IntermediateCertificates { get; private init; } = [];

    public IReadOnlyList<X509Certificate2> TlsCaCertificates { get; private init; } = [];

    public IReadOnlyList<X509Certificate2> TlsIntermediateCertificates { get; private init; } = [];

    public NodeOuConfiguration NodeOus { get; private init; } = NodeOuConfiguration.Disabled;

    /// <summary>Checks that <paramref name="certificate"/> was issued under this MSP's CA certificates.</summary>
    public CertificateChainResult ValidateCertificate(X509Certificate2 certificate) =>
        CertificateChain.Validate(certificate, CaCertificates, IntermediateCertificates);

    /// <summary>
    /// Loads the folder. Throws <see cref="DirectoryNotFoundException"/> when it does not exist and
    /// <see cref="FormatException"/> when a file in it is not what the layout says (e.g. a key that does not
    /// match the certificate).
    /// </summary>
    public static MspFolder Load(string path, string mspId)
    {
        if (string.IsNullOrWhiteSpace(mspId)) throw new ArgumentException("An MSP id is required.", nameof(mspId));
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"MSP folder {path} does not exist.");
        var identity = LoadIdentity(path, mspId);
        return new MspFolder(path, mspId)
        {
            Identity = identity,
            Signer = identity is null ? null : LoadSigner(path, identity),
            CaCertificates = Certificates(path, "cacerts"),
            IntermediateCertificates = Certificates(path, "intermediatecerts"),
            TlsCaCertificates = Certificates(path, "tlscacerts"),
            TlsIntermediateCertificates = Certificates(path, "tlsintermediatecerts"),
            NodeOus = NodeOuConfiguration.Load(System.IO.Path.Combine(path, "config.yaml")),
        };
    }

    public void Dispose() => Signer?.Dispose();

    private static X509Identity? LoadIdentity(string path, string mspId)
    {
        var files = Files(path, "signcerts");
        if (files.Length == 0) return null;
        if (files.Length > 1)
            throw new FormatException($"{path}/signcerts holds {files.Length} certificates; expected one signing certificate.");
        try
        {
            return new X509Identity(mspId, File.ReadAllText(files[0]));
        }
        catch (CryptographicException e)
        {
            throw new FormatException($"{files[0]}: expected a PEM X.509 certificate ({e.Message}).", e);
        }
    }

    // Fabric CA names the key after its SKI and may leave old keys beside it, so pick the one matching the certificate.
    private static EcdsaSigner? LoadSigner(string path, X509Identity identity)
    {
        var files = Files(path, "keystore");
        if (files.Length == 0) return null;
        using var certificateKey = identity.Certificate.GetECDsaPublicKey()
            ?? throw new FormatException($"{path}/signcerts: expected an ECDSA certificate.");
        var publicKey = certificateKey.ExportSubjectPublicKeyInfo();
        foreach (var file in files)
        {
            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(file));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                key.Dispose();
                continue;
            }
            if (key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey)) return new EcdsaSigner(key);
            key.Dispose();
        }
        throw new FormatException($"{path}/keystore holds no EC private key that matches the certificate in signcerts.");
    }

    private static IReadOnlyList<X509Certificate2> Certificates(string path, string folder) =>
        Files(path, folder).Select(file =>
        {
            try
            {
                return X509Certificate2.CreateFromPem(File.ReadAllText(file));
            }
            catch (CryptographicException e)
            {
                throw new FormatException($"{file}: expected a PEM X.509 certificate ({e.Message}).", e);
            }
        }).ToArray();

    private static string[] Files(string path, string folder)
    {
        var directory = System.IO.Path.Combine(path, folder);
        return Directory.Exists(directory) ? Directory.GetFiles(directory).Order(StringComparer.Ordinal).ToArray() : [];
    }
}
