using Fabric.Client;
using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Network.Hosting;

namespace Fabric.Network.Conformance.Tests.Support;

/// <summary>Fabric.Client connections to the peers of an embedded network, over the peer's TLS.</summary>
public static class PeerClient
{
    /// <summary>A gateway to peer <paramref name="peer"/> as User1 of <paramref name="userMspId"/> (the peer's own by default).</summary>
    public static (Fabric.Client.Gateway Gateway, IDisposable Resources) Connect(EmbeddedNetwork network, int peer, string? userMspId = null, GatewayOptions? options = null)
    {
        var endpoint = network.Peers[peer];
        var user = network.Client(userMspId ?? endpoint.MspId);
        var channel = endpoint.OpenChannel();
        var signer = user.CreateSigner();
        return (Fabric.Client.Gateway.Connect(channel, user.Identity, signer, options), new Resources(channel, signer));
    }

    private sealed class Resources(IDisposable channel, IDisposable signer) : IDisposable
    {
        public void Dispose()
        {
            channel.Dispose();
            signer.Dispose();
        }
    }
}
