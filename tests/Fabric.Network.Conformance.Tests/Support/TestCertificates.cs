using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fabric.Network.Conformance.Tests.Support;

/// <summary>Throwaway ECDSA P-256 certificate authorities and the TLS server and client certificates they issue.</summary>
public sealed class TestCertificates
{
    private TestCertificates(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }
    public string CertificatePem => Certificate.ExportCertificatePem();
    public string KeyPem => Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();

    public static TestCertificates Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return new TestCertificates(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1)));
    }

    /// <summary>A TLS server certificate for 127.0.0.1 / localhost.</summary>
    public TestCertificates IssueServer(string name) => Issue(name, "1.3.6.1.5.5.7.3.1", server: true);

    /// <summary>A TLS client certificate.</summary>
    public TestCertificates IssueClient(string name) => Issue(name, "1.3.6.1.5.5.7.3.2", server: false);

    private TestCertificates Issue(string name, string usage, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(Certificate, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        return new TestCertificates(issued.CopyWithPrivateKey(key));
    }
}
