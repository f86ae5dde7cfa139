using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Network.Tests.Support;

namespace Fabric.Network.Tests.EndToEnd;

/// <summary>One embedded network (three agencies, TLS, MAJORITY endorsement) and the test chaincode, shared by a test class.</summary>
public sealed class NetworkFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    public EmbeddedNetwork Network { get; private set; } = null!;
    public TestChaincodeServer Chaincode { get; private set; } = null!;
    public string DataDirectory => _directory.Path;

    public static NetworkDefinition Definition(string chaincodeAddress, string policy = "MAJORITY Endorsement")
    {
        var definition = NetworkDefinition.Default();
        definition.Batch = new BatchSettings { MaxMessageCount = 10, BatchTimeoutMs = 50 };
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = "kv", Address = chaincodeAddress, EndorsementPolicy = policy });
        return definition;
    }

    public async Task InitializeAsync()
    {
        Chaincode = await TestChaincodeServer.StartAsync();
        Network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = _directory.Path, Definition = Definition(Chaincode.Address) });
    }

    public TestGatewayClient Client(int peer = 0, string? mspId = null)
    {
        var endpoint = Network.Peers[peer];
        return new TestGatewayClient(Network, endpoint, Network.Client(mspId ?? endpoint.MspId));
    }

    public async Task DisposeAsync()
    {
        await Network.DisposeAsync();
        await Chaincode.DisposeAsync();
        _directory.Dispose();
    }
}
