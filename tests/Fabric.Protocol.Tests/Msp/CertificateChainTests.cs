using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabric.Protocol.Msp;

namespace Fabric.Protocol.Tests.Msp;

/// <summary>Chains through intermediate CAs, and the Fabric rule that expiry is not judged by the chain check.</summary>
public class CertificateChainTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddYears(-3);

    private static (X509Certificate2 Certificate, ECDsa Key) Ca(string name, X509Certificate2? issuer = null, ECDsa? issuerKey = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = issuer is null
            ? request.CreateSelfSigned(Start, Start.AddYears(10))
            : request.Create(issuer, Start, Start.AddYears(5), RandomNumberGenerator.GetBytes(8)).CopyWithPrivateKey(key);
        return (certificate, key);
    }

    private static X509Certificate2 Leaf(X509Certificate2 issuer, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=User1, OU=client", key, HashAlgorithmName.SHA256);
        return request.Create(issuer, Start, notAfter, RandomNumberGenerator.GetBytes(8));
    }

    [Fact]
    public void A_leaf_under_an_intermediate_chains_only_when_the_intermediate_is_given()
    {
        var (root, rootKey) = Ca("root");
        var (intermediate, intermediateKey) = Ca("intermediate", root, rootKey);
        var leaf = Leaf(intermediate, Start.AddYears(2));

        Assert.False(CertificateChain.Validate(leaf, [root]).IsValid);
        Assert.True(CertificateChain.Validate(leaf, [root], [intermediate]).IsValid);
        rootKey.Dispose();
        intermediateKey.Dispose();
    }

    [Fact]
    public void An_expired_certificate_still_chains_as_in_fabric_msp_validation()
    {
        var (root, rootKey) = Ca("root");
        var expired = Leaf(root, Start.AddDays(1));

        var result = CertificateChain.Validate(expired, [root]);

        Assert.True(expired.NotAfter < DateTime.Now);
        Assert.True(result.IsValid, result.Error);
        rootKey.Dispose();
    }

    [Fact]
    public void A_certificate_from_another_ca_with_the_same_name_does_not_chain()
    {
        var (root, rootKey) = Ca("root");
        var (impostor, impostorKey) = Ca("root");
        var leaf = Leaf(impostor, Start.AddYears(1));

        var result = CertificateChain.Validate(leaf, [root]);

        Assert.False(result.IsValid);
        Assert.Contains("does not chain", result.Error);
        rootKey.Dispose();
        impostorKey.Dispose();
    }
}
