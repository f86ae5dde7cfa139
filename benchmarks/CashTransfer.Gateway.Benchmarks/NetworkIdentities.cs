using System.Security.Cryptography.X509Certificates;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Ledger.Fabric;
using Fabric.Grpc.Client;
using Fabric.Network.Hosting;
using FabricGateway = Fabric.Client.Gateway;

namespace CashTransfer.Gateway.Benchmarks;

/// <summary>
/// The gateway service's Fabric identities on the embedded network: for each (agency, role) the agency's user of that
/// name (Operator, Auditor, Gateway) from the cryptogen-layout material, connected over TLS to the agency's peer.
/// The direct reference run uses the same connections, so both paths pay the same client costs.
/// </summary>
internal sealed class NetworkIdentities(EmbeddedNetwork network) : IFabricIdentities, IDisposable
{
    private readonly Dictionary<LedgerCaller, FabricGateway> _gateways = new();
    private readonly List<IDisposable> _owned = [];

    public FabricGateway For(LedgerCaller caller)
    {
        lock (_gateways)
        {
            if (_gateways.TryGetValue(caller, out var existing)) return existing;
            var peer = network.Peers.Single(p => p.MspId == caller.AgencyMsp);
            var user = network.Crypto.PeerOrganization(caller.AgencyMsp).UserNamed(char.ToUpperInvariant(caller.FabricRole[0]) + caller.FabricRole[1..]);
            var channel = GrpcChannel.Create(peer.Uri, new GrpcChannelOptions
            {
                TrustedRoots = [X509Certificate2.CreateFromPem(File.ReadAllText(peer.TlsRootCertFile))],
                ServerNameOverride = peer.ServerNameOverride,
            });
            var signer = user.CreateSigner();
            _owned.Add(channel);
            _owned.Add(signer);
            return _gateways[caller] = FabricGateway.Connect(channel, user.Identity, signer);
        }
    }

    public Fabric.Client.Contract Contract(LedgerCaller caller, string chaincode) => For(caller).GetNetwork(network.ChannelName).GetContract(chaincode);

    public void Dispose()
    {
        foreach (var o in _owned) o.Dispose();
    }
}
