using CashTransfer.Testing.NodeCounterparts;
using System.Text.Json;

namespace Fabric.Network.Tests.EndToEnd;

/// <summary>The official Node client, @hyperledger/fabric-gateway 1.11.0, against the embedded network.</summary>
public class NodeGatewayClientTests(NetworkFixture fixture) : IClassFixture<NetworkFixture>
{
    [Fact]
    public async Task Official_Node_client_submits_evaluates_reads_commit_status_events_and_error_details()
    {
        InteropNodeFolder.WithPackages(OfficialNodePackages.FabricGateway);
        var peer = fixture.Network.Peers[0];
        var user = fixture.Network.Client(peer.MspId);
        var environment = new NodeGatewayEnvironment(peer.Address, peer.TlsRootCertFile, peer.ServerNameOverride, peer.MspId,
            user.SignCertificateFile, user.PrivateKeyFile, fixture.Network.ChannelName, "kv").ToVariables();
        var stdout = await NodeScript.RunAsync(Path.Combine("gateway", "embedded-client.js"), [], environment, TimeSpan.FromSeconds(90));

        using var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var r = result.RootElement;
        Assert.Equal("node-value", r.GetProperty("submit").GetString());
        Assert.Equal("node-value", r.GetProperty("evaluate").GetString());
        var commit = r.GetProperty("commit");
        Assert.Equal(0, commit.GetProperty("code").GetInt32());
        Assert.True(commit.GetProperty("successful").GetBoolean());
        var txId = commit.GetProperty("txId").GetString()!;
        Assert.Equal((ulong)commit.GetProperty("blockNumber").GetInt64(), fixture.Network.Ledger.FindTransaction(txId)!.Value.BlockNumber);
        var ev = r.GetProperty("event");
        Assert.Equal("Put", ev.GetProperty("name").GetString());
        Assert.Equal(txId, ev.GetProperty("txId").GetString());
        Assert.Equal("node-key2=v2", ev.GetProperty("payload").GetString());
        var error = r.GetProperty("endorseError");
        Assert.Equal("EndorseError", error.GetProperty("name").GetString());
        Assert.Equal(10, error.GetProperty("code").GetInt32()); // ABORTED
        var detail = error.GetProperty("details")[0];
        Assert.Equal(peer.Address, detail.GetProperty("address").GetString());
        Assert.Equal(peer.MspId, detail.GetProperty("mspId").GetString());
        Assert.Equal("chaincode response 500, deliberate failure after reading node-key", detail.GetProperty("message").GetString());
    }
}
