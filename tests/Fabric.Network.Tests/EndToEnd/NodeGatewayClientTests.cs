using System.Diagnostics;
using System.Text.Json;

namespace Fabric.Network.Tests.EndToEnd;

/// <summary>The official Node client, @hyperledger/fabric-gateway 1.11.0, against the embedded network.</summary>
public class NodeGatewayClientTests(NetworkFixture fixture) : IClassFixture<NetworkFixture>
{
    [Fact]
    public async Task Official_Node_client_submits_evaluates_reads_commit_status_events_and_error_details()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CashTransfer.sln"))) root = root.Parent;
        var nodeDir = Path.Combine(root!.FullName, "tests", "interop", "node");
        Assert.True(Directory.Exists(Path.Combine(nodeDir, "node_modules", "@hyperledger", "fabric-gateway")),
            $"the Node packages are not installed: run `cd tests/interop/node && npm ci --ignore-scripts` ({nodeDir})");

        var peer = fixture.Network.Peers[0];
        var user = fixture.Network.Client(peer.MspId);
        var start = new ProcessStartInfo("node", Path.Combine(nodeDir, "gateway", "embedded-client.js"))
        {
            WorkingDirectory = nodeDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PEER_ADDRESS"] = peer.Address;
        start.Environment["SERVER_NAME"] = peer.ServerNameOverride;
        start.Environment["TLS_ROOT_CERT"] = peer.TlsRootCertFile;
        start.Environment["MSP_ID"] = peer.MspId;
        start.Environment["CERT"] = user.SignCertificateFile;
        start.Environment["KEY"] = user.PrivateKeyFile;
        start.Environment["CHANNEL"] = fixture.Network.ChannelName;
        start.Environment["CHAINCODE"] = "kv";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, "node failed: " + await stderr + await stdout);

        using var result = JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]);
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
