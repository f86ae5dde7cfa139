using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Fabric.Grpc.Client;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Protocol.Msp;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;

namespace Fabric.Client.EmbeddedTests.Support;

/// <summary>
/// An embedded network in a temporary folder (three agencies, MAJORITY endorsement, blocks cut after 250 ms, long enough to observe a transaction between submit and commit)
/// with <see cref="TestContract"/> served as chaincode "kv" by our shim's CCaaS server. Clients load their
/// identities from the network's cryptogen-layout MSP folders, as they would a real network's.
/// </summary>
public sealed class TestNetwork : IAsyncDisposable
{
    public const string Chaincode = "kv";

    private readonly string _directory;
    private readonly ChaincodeServer _chaincodeServer;
    private readonly List<IDisposable> _owned = [];

    private TestNetwork(string directory, ChaincodeServer chaincodeServer, EmbeddedNetwork network, TestContract contract)
    {
        _directory = directory;
        _chaincodeServer = chaincodeServer;
        Network = network;
        Contract = contract;
    }

    public EmbeddedNetwork Network { get; }

    /// <summary>The chaincode's contract instance (its hooks are set by tests).</summary>
    public TestContract Contract { get; }

    public string ChannelName => Network.ChannelName;

    public static async Task<TestNetwork> StartAsync(Action<NetworkDefinition>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "fabric-client-embedded-tests", Guid.NewGuid().ToString("N"));
        var contract = new TestContract();
        var chaincodeServer = await ChaincodeServer.StartAsync(
            new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = $"{Chaincode}_1.0", TlsDisabled = true },
            new ContractRouter(contract));
        try
        {
            var definition = NetworkDefinition.Default();
            definition.Batch = new BatchSettings { MaxMessageCount = 10, BatchTimeoutMs = 250 };
            definition.Chaincodes.Add(new ChaincodeDefinition { Name = Chaincode, Address = $"127.0.0.1:{chaincodeServer.Port}" });
            configure?.Invoke(definition);
            var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = directory, Definition = definition });
            return new TestNetwork(directory, chaincodeServer, network, contract);
        }
        catch
        {
            await chaincodeServer.DisposeAsync();
            throw;
        }
    }

    public PeerEndpoint Peer(int index = 0) => Network.Peers[index];

    /// <summary>A gRPC channel to a peer (TLS with the agency's TLS CA, or h2c), optionally through another address (a proxy).</summary>
    public GrpcChannel Channel(int peer = 0, X509Certificate2? clientCertificate = null, Uri? via = null)
    {
        var channel = Peer(peer).OpenChannel(clientCertificate, via);
        _owned.Add(channel);
        return channel;
    }

    /// <summary>User1 of an agency, loaded from its MSP folder (signcerts and the matching keystore key).</summary>
    public MspFolder User(string mspId)
    {
        var msp = MspFolder.Load(Network.Client(mspId).MspDirectory, mspId);
        _owned.Add(msp);
        return msp;
    }

    /// <summary>A gateway for User1 of the peer's agency over a new channel to that peer.</summary>
    public Gateway Gateway(int peer = 0, GatewayOptions? options = null, Uri? via = null)
    {
        var user = User(Peer(peer).MspId);
        return Client.Gateway.Connect(Channel(peer, via: via), user.Identity!, user.Signer, options);
    }

    public Contract KvContract(Gateway gateway) => gateway.GetNetwork(ChannelName).GetContract(Chaincode);

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned) owned.Dispose();
        await Network.DisposeAsync();
        await _chaincodeServer.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>The TLS network most tests share (started once for the test run).</summary>
public sealed class SharedNetwork : IAsyncLifetime
{
    private TestNetwork? _network;

    public TestNetwork Net => _network ?? throw new InvalidOperationException("The shared network did not start.");

    public async Task InitializeAsync() => _network = await TestNetwork.StartAsync();

    public async Task DisposeAsync()
    {
        if (_network is not null) await _network.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedNetworkCollection : ICollectionFixture<SharedNetwork>
{
    public const string Name = "shared embedded network";
}
