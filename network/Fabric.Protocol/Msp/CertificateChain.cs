using System.Security.Cryptography.X509Certificates;

namespace Fabric.Protocol.Msp;

/// <summary>
/// Checks that a certificate chains to one of an MSP's CA certificates (through its intermediate CAs),
/// as a Fabric MSP validates an identity. Like Fabric, the chain is built at the certificate's own
/// NotBefore (plus one second), so expiry is not judged here; callers that care check
/// <see cref="X509Certificate2.NotAfter"/> themselves. No revocation lists, no network fetches.
/// </summary>
/// <example><code>
/// var result = CertificateChain.Validate(identity.Certificate, msp.CaCertificates);
/// if (!result.IsValid) throw new UnauthorizedAccessException(result.Error);
/// </code></example>
public static class CertificateChain
{
    public static CertificateChainResult Validate(
        X509Certificate2 certificate,
        IEnumerable<X509Certificate2> rootCertificates,
        IEnumerable<X509Certificate2>? intermediateCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var roots = rootCertificates.ToArray();
        if (roots.Length == 0) return CertificateChainResult.Invalid("The MSP has no CA certificates to validate against.");
        if (roots.Any(root => root.RawData.AsSpan().SequenceEqual(certificate.RawData)))
            return CertificateChainResult.Invalid("A CA certificate cannot be used as a member identity.");

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = certificate.NotBefore.AddSeconds(1);
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (intermediateCertificates is not null) chain.ChainPolicy.ExtraStore.AddRange(intermediateCertificates.ToArray());

        if (chain.Build(certificate)) return CertificateChainResult.Valid;
        var problems = chain.ChainStatus.Select(status => $"{status.Status}: {status.StatusInformation.Trim()}");
        return CertificateChainResult.Invalid(
            $"Certificate '{certificate.Subject}' does not chain to the MSP's CA certificates ({string.Join("; ", problems)}).");
    }
}
