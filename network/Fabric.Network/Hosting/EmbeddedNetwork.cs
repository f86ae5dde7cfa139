using Fabric.Protocol.Transactions;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Grpc.Server;
using Fabric.Network.Blocks;
using Fabric.Network.Configuration;
using Fabric.Network.Crypto;
using Fabric.Network.Endorsing;
using Fabric.Network.Gateway;
using Fabric.Network.Ledger;
using Fabric.Network.Membership;
using Fabric.Network.Ordering;
using Fabric.Network.Policies;
using Fabric.Network.PrivateData;
using Fabric.Network.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabric.Network.Hosting;

/// <summary>
/// A single-process Fabric 2.5 network: one peer per agency, each with its own identity, listener and
/// chaincode connections, serving gateway.Gateway and protos.Deliver; an ordering stage that cuts and
/// signs blocks; a committer that validates them into one durable ledger shared by the peers (no gossip
/// is needed inside one process). Crypto material and the ledger live in the data directory and are
/// reused on the next start.
/// </summary>
/// <example><code>
/// await using var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = ".data/network" });
/// var peer = network.Peers[0];   // peer.Uri, peer.TlsRootCertFile, peer.ServerNameOverride
/// var user = network.Client(peer.MspId);   // MSP folder, certificate and key of User1
/// </code></example>
public sealed class EmbeddedNetwork : IAsyncDisposable
{
    private readonly List<GrpcServer> _servers = new();
    private readonly List<EndorsingPeer> _peers = new();
    private readonly List<ChaincodeConnection> _connections = new();
    private OrderingService? _orderer;
    private BlockCommitter? _committer;

    private EmbeddedNetwork(NetworkDefinition definition, CryptoMaterial crypto, PeerLedger ledger, string dataDirectory)
    {
        Definition = definition;
        Crypto = crypto;
        Ledger = ledger;
        DataDirectory = dataDirectory;
    }

    public NetworkDefinition Definition { get; }
    public CryptoMaterial Crypto { get; }
    public PeerLedger Ledger { get; }
    public string DataDirectory { get; }
    public string ChannelName => Definition.Channel;
    public IReadOnlyList<PeerEndpoint> Peers { get; private set; } = [];

    /// <summary>The peers' transient stores of private data awaiting commit (in place of gossip).</summary>
    public PrivateDataDistributor PrivateData { get; private init; } = null!;

    /// <summary>The client identity (User1, NodeOU client) of an agency.</summary>
    public NodeCredentials Client(string mspId) => Crypto.PeerOrganization(mspId).User1!;

    /// <summary>Deletes the ledger and the crypto material: the next start begins a new channel.</summary>
    public static void Reset(string dataDirectory)
    {
        foreach (var sub in new[] { "ledger", "crypto" })
        {
            var path = Path.Combine(dataDirectory, sub);
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        var connection = Path.Combine(dataDirectory, "connection.json");
        if (File.Exists(connection)) File.Delete(connection);
    }

    public static async Task<EmbeddedNetwork> StartAsync(EmbeddedNetworkOptions options)
    {
        var definition = options.Definition;
        definition.Validate();
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggers.CreateLogger<EmbeddedNetwork>();
        Directory.CreateDirectory(options.DataDirectory);
        var crypto = CryptoMaterial.LoadOrCreate(Path.Combine(options.DataDirectory, "crypto"), definition);
        var mspIds = crypto.PeerOrganizations.Select(o => o.MspId).ToList();
        var collections = ChannelCollections.From(definition.Chaincodes, new ChannelPolicies(mspIds));
        var distributor = new PrivateDataDistributor(collections, mspIds);
        var ledger = PeerLedger.Open(Path.Combine(options.DataDirectory, "ledger"), new PrivateDataCommit(collections, mspIds, distributor));
        if (ledger.RecoveredTornBytes > 0) logger.LogWarning("dropped {Bytes} bytes of an interrupted block append", ledger.RecoveredTornBytes);
        if (ledger.PrivateData?.RecoveredTornBytes > 0) logger.LogWarning("dropped {Bytes} bytes of interrupted private data appends", ledger.PrivateData.RecoveredTornBytes);
        var network = new EmbeddedNetwork(definition, crypto, ledger, options.DataDirectory) { PrivateData = distributor };
        try
        {
            await network.StartServicesAsync(loggers).ConfigureAwait(false);
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return network;
    }

    private async Task StartServicesAsync(ILoggerFactory loggers)
    {
        var roots = Crypto.PeerOrganizations.Append(Crypto.Orderer).ToDictionary(o => o.MspId, o => o.CaCertificate);
        var membership = new MembershipService(roots);
        var policies = new ChannelPolicies(Crypto.PeerOrganizations.Select(o => o.MspId).ToList());
        var chaincodePolicies = Definition.Chaincodes.ToDictionary(c => c.Name, c => policies.Resolve(c.EndorsementPolicy));
        var channel = new ChannelContext(Definition.Channel, membership, policies, chaincodePolicies) { Collections = Ledger.PrivateData!.Collections };

        if (Ledger.Height == 0)
        {
            var genesis = GenesisBlock.Create(Definition, Crypto, policies, "127.0.0.1:7050");
            Ledger.Commit(genesis, new UpdateBatch(), [TransactionEnvelope.Parse(genesis.Data.Data[0])]);
        }

        _committer = new BlockCommitter(new BlockValidator(channel, Ledger), Ledger, loggers.CreateLogger<BlockCommitter>());
        var ordererNode = Crypto.Orderer.Node;
        _orderer = new OrderingService(Definition.Batch, ordererNode.Identity, ordererNode.CreateSigner(), Ledger.Height, Ledger.LastHeaderHash.ToArray(), _committer.EnqueueAsync);

        foreach (var org in Crypto.PeerOrganizations)
        {
            var chaincodes = new Dictionary<string, (ChaincodeDefinition, ChaincodeConnection)>();
            foreach (var cc in Definition.Chaincodes)
            {
                var connection = new ChaincodeConnection(ChaincodeUri(cc), ChaincodeChannelOptions(cc, org), cc.PackageId, loggers.CreateLogger<ChaincodeConnection>(),
                    cc.ConnectionFile is { } file ? CcaasConnection.Load(file).EffectiveDialTimeout : null);
                _connections.Add(connection);
                chaincodes[cc.Name] = (cc, connection);
            }
            _peers.Add(new EndorsingPeer(org, Ledger, channel, chaincodes) { Collections = channel.Collections, PrivateData = PrivateData });
        }

        var endpoints = new List<PeerEndpoint>();
        foreach (var (peer, definition) in _peers.Zip(Definition.Organizations))
        {
            var gateway = new GatewayService(peer, _peers, channel, Ledger, _orderer.Submit);
            var deliver = new DeliverService(channel, Ledger, peer.MspId, Definition.MutualTls);
            var server = await GrpcServer.StartAsync(new GrpcServerOptions
            {
                Port = definition.PeerPort,
                ServerCertificate = Definition.Tls ? peer.Organization.Node.LoadTlsCertificate() : null,
                ClientCertificateRoots = Definition.Tls && Definition.MutualTls ? ClientTlsRoots() : null,
                LoggerFactory = loggers,
            }, gateway.Definition(), deliver.Definition()).ConfigureAwait(false);
            _servers.Add(server);
            peer.Address = $"127.0.0.1:{server.Port}";
            var scheme = Definition.Tls ? "https" : "http";
            endpoints.Add(new PeerEndpoint(peer.MspId, peer.Organization.Node.Name, peer.Address, new Uri($"{scheme}://127.0.0.1:{server.Port}"),
                peer.Organization.TlsCaCertificateFile, peer.Organization.Node.Name));
        }
        Peers = endpoints;
        WriteConnectionFile();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync().ConfigureAwait(false);
        if (_orderer is not null) await _orderer.DisposeAsync().ConfigureAwait(false);
        if (_committer is not null) await _committer.DisposeAsync().ConfigureAwait(false);
        foreach (var c in _connections) await c.DisposeAsync().ConfigureAwait(false);
        foreach (var p in _peers) await p.DisposeAsync().ConfigureAwait(false);
        Ledger.Dispose();
    }

    // Any agency's TLS CA may issue client certificates, as a peer trusts every channel member's TLS roots.
    private X509Certificate2Collection ClientTlsRoots() => [.. Crypto.PeerOrganizations.Select(o => X509Certificate2.CreateFromPem(o.TlsCaCertificatePem))];

    private static Uri ChaincodeUri(ChaincodeDefinition cc)
    {
        bool tls = cc.ConnectionFile is { } file ? CcaasConnection.Load(file).TlsRequired : cc.TlsRootCertFile is not null;
        return new($"{(tls ? "https" : "http")}://{cc.Address}");
    }

    private static FabricChannelOptions ChaincodeChannelOptions(ChaincodeDefinition cc, OrganizationMaterial org)
    {
        var options = new FabricChannelOptions { ServerNameOverride = cc.ServerNameOverride };
        if (cc.ConnectionFile is { } file)
        {
            // As Fabric's peer dials a CCaaS package: within dial_timeout, root_cert to trust, client_cert/client_key when the server asks.
            var connection = CcaasConnection.Load(file);
            options.ConnectTimeout = connection.EffectiveDialTimeout;
            options.TrustedRoots = connection.TrustedRoots();
            options.ClientCertificate = connection.ClientCertificate();
            return options;
        }
        if (cc.TlsRootCertFile is not null)
        {
            options.TrustedRoots = [X509Certificate2.CreateFromPem(File.ReadAllText(cc.TlsRootCertFile))];
            // The peer presents its own TLS certificate to a chaincode server that requires client certificates.
            if (cc.MutualTls) options.ClientCertificate = org.Node.LoadTlsCertificate();
        }
        return options;
    }

    // What a client needs to connect, for tools and scripts: peers, TLS roots and the client identities.
    private void WriteConnectionFile()
    {
        var summary = new
        {
            channel = Definition.Channel,
            tls = Definition.Tls,
            mutualTls = Definition.MutualTls,
            peers = Peers.Select(p => new
            {
                mspId = p.MspId,
                name = p.Name,
                address = p.Address,
                tlsRootCertFile = p.TlsRootCertFile,
                serverNameOverride = p.ServerNameOverride,
                clientMspDirectory = Client(p.MspId).MspDirectory,
            }),
            chaincodes = Definition.Chaincodes.Select(c => c.Name),
        };
        File.WriteAllText(Path.Combine(DataDirectory, "connection.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
    }
}
