using System.Security.Cryptography.X509Certificates;
using Fabric.Grpc.Client;
using Grpc.Net.Client;

namespace Fabric.Network.Hosting;

/// <summary>One agency peer's listener, with what a client needs to connect to it over TLS.</summary>
public sealed record PeerEndpoint(string MspId, string Name, string Address, Uri Uri, string TlsRootCertFile, string ServerNameOverride)
{
    /// <summary>
    /// A gRPC channel to this peer that trusts its agency's TLS CA and checks the name the peer's certificate was
    /// issued for (the embedded peers listen on 127.0.0.1), with a client certificate for mutual TLS if given.
    /// <paramref name="via"/> dials another address, such as a proxy in front of the peer.
    /// </summary>
    public GrpcChannel OpenChannel(X509Certificate2? clientCertificate = null, Uri? via = null)
    {
        var options = new FabricChannelOptions();
        if (Uri.Scheme == Uri.UriSchemeHttps)
        {
            options.TrustedRoots = [X509Certificate2.CreateFromPem(File.ReadAllText(TlsRootCertFile))];
            options.ServerNameOverride = ServerNameOverride;
            options.ClientCertificate = clientCertificate;
        }
        return FabricChannel.Create(via ?? Uri, options);
    }
}
