using System.Security.Cryptography.X509Certificates;

namespace Fabric.Grpc.Tls;

/// <summary>
/// Checks that a peer certificate chains to a given set of roots and to nothing else (a Fabric TLS CA is
/// never in the system store). Intermediates the peer presented are used to build the chain.
/// </summary>
internal static class CertificateChainValidator
{
    public static bool ChainsToRoots(X509Certificate2 certificate, X509Certificate2Collection roots, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        return chain.Build(certificate);
    }
}
