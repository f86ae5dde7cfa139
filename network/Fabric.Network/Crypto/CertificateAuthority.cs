using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fabric.Network.Crypto;

/// <summary>
/// An ECDSA P-256 certificate authority as cryptogen makes one: a self-signed root that issues the
/// organisation's signing identities (CA) or its TLS certificates (TLS CA).
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        Key = key;
    }

    public X509Certificate2 Certificate { get; }
    public ECDsa Key { get; }

    /// <summary>A new self-signed CA named <c>CN=commonName, O=organization</c>, in cryptogen's subject style.</summary>
    public static CertificateAuthority Create(string commonName, string organization)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(SubjectName(commonName, organization, null), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(SubjectKeyId(key), critical: false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var certificate = request.CreateSelfSigned(now, now + Lifetime);
        return new CertificateAuthority(certificate, key);
    }

    /// <summary>Loads a CA from its PEM certificate and PKCS#8 PEM key.</summary>
    public static CertificateAuthority Load(string certificatePem, string keyPem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(keyPem);
        return new CertificateAuthority(X509Certificate2.CreateFromPem(certificatePem), key);
    }

    /// <summary>
    /// Issues an end-entity certificate. <paramref name="organizationalUnit"/> is the NodeOU (client, peer,
    /// admin, orderer) for signing identities; TLS certificates get server and client auth and SANs.
    /// <paramref name="attributes"/> are written as Fabric CA writes enrollment attributes, so that chaincode
    /// reads them through ClientIdentity exactly as on a network whose users enrolled with Fabric CA.
    /// </summary>
    public (X509Certificate2 Certificate, ECDsa Key) Issue(string commonName, string? organizationalUnit, bool tls, IEnumerable<string>? dnsNames = null, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var organization = tls ? OrganizationOf(Certificate) : null;
        var request = new CertificateRequest(SubjectName(commonName, organization, organizationalUnit), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            tls ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (attributes is { Count: > 0 })
            request.CertificateExtensions.Add(FabricCaAttributes.CreateExtension(attributes));
        if (tls)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames ?? []) san.AddDnsName(name);
            san.AddDnsName("localhost");
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime()).AddMinutes(-1);
        var certificate = request.Create(Certificate, notBefore, notAfter, serial);
        return (certificate, key);
    }

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }

    private static X500DistinguishedName SubjectName(string commonName, string? organization, string? organizationalUnit)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCountryOrRegion("US");
        builder.AddStateOrProvinceName("California");
        builder.AddLocalityName("San Francisco");
        if (organization is not null) builder.AddOrganizationName(organization);
        if (organizationalUnit is not null) builder.AddOrganizationalUnitName(organizationalUnit);
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    private static string? OrganizationOf(X509Certificate2 certificate) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue())
            .FirstOrDefault();

    // cryptogen uses SHA-256 of the public point as the key identifier.
    private static byte[] SubjectKeyId(ECDsa key)
    {
        var parameters = key.ExportParameters(false);
        var point = new byte[65];
        point[0] = 4;
        parameters.Q.X!.CopyTo(point, 1);
        parameters.Q.Y!.CopyTo(point, 33);
        return SHA256.HashData(point);
    }
}
