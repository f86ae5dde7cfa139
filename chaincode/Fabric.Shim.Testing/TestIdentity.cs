using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Fabric.Protocol.Identity;
using Fabric.Shim.Contracts;

namespace Fabric.Shim.Testing;

/// <summary>
/// A transaction submitter for tests: an MSP id and a fresh ECDSA P-256 X.509 certificate issued by a
/// throwaway CA named after the MSP, carrying Fabric CA attributes in extension 1.2.3.4.5.6.7.8.1 as Fabric
/// CA writes them. The in-memory world state does not check certificate chains; the shim reads the identity.
/// </summary>
/// <example><code>var op = TestIdentity.Create("WFPMSP", "op1", new() { ["cashtransfer.role"] = "operator" });</code></example>
public sealed class TestIdentity
{
    private TestIdentity(X509Identity identity, ECDsa key)
    {
        Identity = identity;
        PrivateKey = key;
        ClientIdentity = new ClientIdentity(identity.MspId, identity.Certificate);
    }

    public X509Identity Identity { get; }
    public ECDsa PrivateKey { get; }
    public ClientIdentity ClientIdentity { get; }
    public string MspId => Identity.MspId;

    /// <summary>The serialized <c>msp.SerializedIdentity</c>, as a transaction's creator.</summary>
    public byte[] Creator => Identity.ToSerializedIdentity();

    public static TestIdentity Create(string mspId, string commonName, IReadOnlyDictionary<string, string>? attributes = null)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=ca.{mspId}, O={mspId}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, OU=client, O={mspId}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        if (attributes is { Count: > 0 })
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(new { attrs = attributes });
            request.CertificateExtensions.Add(new X509Extension(ClientIdentity.AttributesExtensionOid, json, critical: false));
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var certificate = request.Create(ca, now.AddDays(-1), now.AddYears(5), serial);
        return new TestIdentity(new X509Identity(mspId, certificate.ExportCertificatePem()), key);
    }
}
