using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Fabric.Grpc.Tls;

/// <summary>
/// The client's check of a server certificate: the chain (against <see cref="Client.FabricChannelOptions.TrustedRoots"/>
/// when given, the system store otherwise) and the host name (the <see cref="Client.FabricChannelOptions.ServerNameOverride"/>
/// when given, the address's host otherwise).
/// </summary>
internal sealed class ServerCertificateValidator(X509Certificate2Collection? trustedRoots, string expectedHost)
{
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null) return false;
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var chainOk = trustedRoots is null
            ? (errors & (SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0
            : CertificateChainValidator.ChainsToRoots(leaf, trustedRoots, chain);
        return chainOk && leaf.MatchesHostname(expectedHost);
    }
}
