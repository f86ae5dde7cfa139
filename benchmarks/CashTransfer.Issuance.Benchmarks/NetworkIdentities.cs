using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Ledger.Fabric;
using CashTransfer.Local;
using Fabric.Grpc.Client;
using Fabric.Network.Configuration;
using Fabric.Network.Crypto;
using FabricGateway = Fabric.Client.Gateway;

namespace CashTransfer.Issuance.Benchmarks;

/// <summary>
/// The service's Fabric identities on the embedded network of the child process, read from what the network wrote
/// in its data directory (cryptogen-layout users, connection.json): each agency's user of the role's name, connected
/// over TLS to that agency's peer, as <see cref="EmbeddedNetworkIdentities"/> does in one process.
/// </summary>
internal sealed class NetworkIdentities(string networkDirectory) : IFabricIdentities, IDisposable
{
    private readonly CryptoMaterial _crypto = CryptoMaterial.LoadOrCreate(Path.Combine(networkDirectory, "crypto"), NetworkDefinition.Default());
    private readonly List<Peer> _peers = JsonSerializer.Deserialize<Connection>(File.ReadAllText(Path.Combine(networkDirectory, "connection.json")), Json)!.Peers;
    private readonly Dictionary<(string, string), FabricGateway> _gateways = [];
    private readonly List<IDisposable> _owned = [];

    public string Channel => "cashtransfer";

    public FabricGateway For(LedgerCaller caller) =>
        Connect(caller.AgencyMsp, char.ToUpperInvariant(caller.FabricRole[0]) + caller.FabricRole[1..]);

    /// <summary>A gateway connection as <paramref name="userName"/> (e.g. User1, Operator) of agency <paramref name="mspId"/>.</summary>
    public FabricGateway Connect(string mspId, string userName)
    {
        lock (_gateways)
        {
            if (_gateways.TryGetValue((mspId, userName), out var existing)) return existing;
            var peer = _peers.Single(p => p.MspId == mspId);
            var user = _crypto.PeerOrganization(mspId).UserNamed(userName);
            var channel = FabricChannel.Create(new Uri($"https://{peer.Address}"), new FabricChannelOptions
            {
                TrustedRoots = [X509Certificate2.CreateFromPem(File.ReadAllText(peer.TlsRootCertFile))],
                ServerNameOverride = peer.ServerNameOverride,
            });
            var signer = user.CreateSigner();
            _owned.Add(channel);
            _owned.Add(signer);
            return _gateways[(mspId, userName)] = FabricGateway.Connect(channel, user.Identity, signer);
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Peer(string MspId, string Address, string TlsRootCertFile, string ServerNameOverride);

    private sealed record Connection(List<Peer> Peers);
}
