using Fabric.Network.Hosting;
using Fabric.Network.Tests.Support;
using Protos;

namespace Fabric.Network.Tests.EndToEnd;

public class RestartTests
{
    [Fact]
    public async Task A_restarted_network_keeps_its_crypto_ledger_and_state()
    {
        await using var chaincode = await TestChaincodeServer.StartAsync();
        using var dir = new TempDirectory();
        var options = new EmbeddedNetworkOptions { DataDirectory = dir.Path, Definition = NetworkFixture.Definition(chaincode.Address) };
        string caPem;
        ulong height;
        await using (var network = await EmbeddedNetwork.StartAsync(options))
        {
            using var client = new TestGatewayClient(network, network.Peers[1], network.Client(network.Peers[1].MspId));
            Assert.Equal(TxValidationCode.Valid, (await TestGatewayClient.Explained(client.SubmitTransactionAsync("put", "durable", "yes"))).Status.Result);
            caPem = network.Crypto.PeerOrganizations[0].CaCertificatePem;
            height = network.Ledger.Height;
            Assert.True(File.Exists(Path.Combine(dir.Path, "connection.json")));
        }

        await using (var network = await EmbeddedNetwork.StartAsync(options))
        {
            Assert.Equal(caPem, network.Crypto.PeerOrganizations[0].CaCertificatePem);
            Assert.Equal(height, network.Ledger.Height);
            using var client = new TestGatewayClient(network, network.Peers[0], network.Client(network.Peers[0].MspId));
            Assert.Equal("yes", (await TestGatewayClient.Explained(client.EvaluateAsync("get", "durable"))).Payload.ToStringUtf8());
            var (_, status, _) = await TestGatewayClient.Explained(client.SubmitTransactionAsync("put", "durable", "still"));
            Assert.Equal(height, status.BlockNumber);
        }

        EmbeddedNetwork.Reset(dir.Path);
        await using (var network = await EmbeddedNetwork.StartAsync(options))
        {
            Assert.Equal(1ul, network.Ledger.Height);
            Assert.NotEqual(caPem, network.Crypto.PeerOrganizations[0].CaCertificatePem);
        }
    }
}
