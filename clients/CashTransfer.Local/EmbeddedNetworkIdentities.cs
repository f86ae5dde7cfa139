using System.Security.Cryptography.X509Certificates;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Ledger.Fabric;
using Fabric.Grpc.Client;
using Fabric.Network.Hosting;
using FabricGateway = Fabric.Client.Gateway;

namespace CashTransfer.Local;

/// <summary>
/// The gateway service's Fabric identities on the embedded network: for each agency and role, that agency's user of
/// the same name (Operator, Auditor, Gateway; their certificates carry <c>cashtransfer.role</c>), connected over TLS
/// to that agency's own peer. One connection per identity, opened on first use.
/// </summary>
public sealed class EmbeddedNetworkIdentities(EmbeddedNetwork network) : IFabricIdentities, IDisposable
{
    private readonly Dictionary<LedgerCaller, FabricGateway> _gateways = [];
    private readonly List<IDisposable> _owned = [];

    public FabricGateway For(LedgerCaller caller)
    {
        lock (_gateways)
        {
            if (_gateways.TryGetValue(caller, out var existing)) return existing;
            var peer = network.Peers.SingleOrDefault(p => p.MspId == caller.AgencyMsp)
                ?? throw new InvalidOperationException($"The embedded network has no agency {caller.AgencyMsp}.");
            var userName = char.ToUpperInvariant(caller.FabricRole[0]) + caller.FabricRole[1..];
            var user = network.Crypto.PeerOrganization(caller.AgencyMsp).UserNamed(userName);
            var channel = peer.OpenChannel();
            var signer = user.CreateSigner();
            _owned.Add(channel);
            _owned.Add(signer);
            return _gateways[caller] = FabricGateway.Connect(channel, user.Identity, signer);
        }
    }

    public void Dispose()
    {
        lock (_gateways)
        {
            foreach (var owned in _owned) owned.Dispose();
            _owned.Clear();
            _gateways.Clear();
        }
    }
}
