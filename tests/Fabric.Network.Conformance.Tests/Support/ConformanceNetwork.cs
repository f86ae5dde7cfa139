using CashTransfer.Testing.NodeCounterparts;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;

namespace Fabric.Network.Conformance.Tests.Support;

/// <summary>
/// One embedded three-agency network in a temporary folder (MAJORITY endorsement, so two agencies endorse
/// every transaction) with two chaincodes served as CCaaS: <see cref="CSharpChaincode"/> (our shim) and
/// <see cref="NodeChaincode"/> (official fabric-contract-api in server mode). Shared by the conformance tests.
/// </summary>
public sealed class ConformanceNetwork : IAsyncLifetime
{
    public const string CSharpChaincode = "cscounter";
    public const string NodeChaincode = "nodecounter";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"conformance-{Guid.NewGuid():N}");
    private ChaincodeServer? _csharpServer;
    private ListeningProcess? _nodeServer;
    private EmbeddedNetwork? _network;

    public EmbeddedNetwork Network => _network ?? throw new InvalidOperationException("The network did not start.");

    /// <summary>The network's and the C# chaincode server's log, then the Node chaincode's output.</summary>
    public string Logs => $"{_logs.Text}\nNode chaincode:\n{_nodeServer?.Log}";

    private readonly CollectingLoggerFactory _logs = new();

    public async Task InitializeAsync()
    {
        _csharpServer = await ChaincodeServer.StartAsync(
            new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = $"{CSharpChaincode}_1.0", TlsDisabled = true },
            new ContractRouter(new ConformanceContract(), new PrivateDataContract()), _logs);
        _nodeServer = await NodeChaincodeServer.StartAsync($"{NodeChaincode}_1.0", Path.Combine("conformance", "node-chaincode"));

        var definition = NetworkDefinition.Default();
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = CSharpChaincode, Address = $"127.0.0.1:{_csharpServer.Port}", Collections = Collections() });
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = NodeChaincode, Address = _nodeServer.Address, Collections = Collections() });
        _network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = _dataDirectory, Definition = definition, LoggerFactory = _logs });
    }

    /// <summary>The collections both chaincodes define (members WFP and UN Women unless named otherwise).</summary>
    public static List<CollectionDefinition> Collections() =>
    [
        new() { Name = SharedCollection, Policy = "OR('WFPMSP.member','UNWomenMSP.member')", RequiredPeerCount = 1, MaxPeerCount = 1 },
        // No peer is handed the data at endorsement: the other member fetches it at commit. Lives 2 blocks.
        new() { Name = ShortLivedCollection, Policy = "OR('WFPMSP.member','UNWomenMSP.member')", MaxPeerCount = 0, BlockToLive = 2 },
        // WFP alone; its own endorsement policy lets WFP's peer endorse writes to it by itself.
        new() { Name = WfpCollection, Policy = "OR('WFPMSP.member')", EndorsementPolicy = "OR('WFPMSP.peer')" },
        // Needs one other member peer, and has none: every write fails to disseminate.
        new() { Name = UnreachableCollection, Policy = "OR('WFPMSP.member')", RequiredPeerCount = 1, MaxPeerCount = 1 },
    ];

    public const string SharedCollection = "shared";
    public const string ShortLivedCollection = "shortlived";
    public const string WfpCollection = "wfponly";
    public const string UnreachableCollection = "unreachable";

    /// <summary>A Fabric.Client gateway to peer <paramref name="peer"/> as User1 of <paramref name="userMspId"/> (the peer's own by default).</summary>
    public (Fabric.Client.Gateway Gateway, IDisposable Resources) ClientGateway(int peer, string? userMspId = null) =>
        PeerClient.Connect(Network, peer, userMspId);

    /// <summary>The settings gateway-connection.js reads (the first agency's peer and its User1), and the scenario's KEY.</summary>
    private Dictionary<string, string> ClientEnvironment(string chaincode, string key)
    {
        var peer = Network.Peers[0];
        var user = Network.Client(peer.MspId);
        var variables = new NodeGatewayEnvironment(peer.Address, peer.TlsRootCertFile, peer.ServerNameOverride, peer.MspId,
            user.SignCertificateFile, user.PrivateKeyFile, Network.ChannelName, chaincode).ToVariables();
        variables["KEY"] = key;
        return variables;
    }

    /// <summary>Runs one scenario of client-scenarios.js and parses the JSON it prints.</summary>
    public async Task<System.Text.Json.JsonElement> RunClientScenarioAsync(string scenario, string chaincode, string key)
    {
        string output;
        try
        {
            InteropNodeFolder.WithPackages(OfficialNodePackages.FabricGateway);
            output = await NodeScript.RunAsync(Path.Combine("conformance", "client-scenarios.js"), [scenario], ClientEnvironment(chaincode, key), TimeSpan.FromSeconds(90));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException($"{e.Message}\nLogs:\n{Logs}", e);
        }
        try
        {
            return System.Text.Json.JsonDocument.Parse(output).RootElement.Clone();
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidOperationException($"client-scenarios.js {scenario} printed no JSON: {output}\nLogs:\n{Logs}", e);
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<System.Text.Json.JsonElement>>> _basics = new();

    /// <summary>The "basics" scenario on a chaincode, run once and shared by the tests that check its parts.</summary>
    public Task<System.Text.Json.JsonElement> BasicsAsync(string chaincode) =>
        _basics.GetOrAdd(chaincode, c => new Lazy<Task<System.Text.Json.JsonElement>>(() => RunClientScenarioAsync("basics", c, $"basics-{c}"))).Value;

    public async Task DisposeAsync()
    {
        if (_network is not null) await _network.DisposeAsync();
        if (_nodeServer is not null) await _nodeServer.DisposeAsync();
        if (_csharpServer is not null) await _csharpServer.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The conformance tests share one network and run one after another (the machine has two cores).</summary>
[CollectionDefinition(Name)]
public sealed class ConformanceCollection : ICollectionFixture<ConformanceNetwork>
{
    public const string Name = "conformance network";
}
