using CashTransfer.Testing.NodeCounterparts;
using Fabric.Network.Blocks;
using Fabric.Protocol.Transactions;
using Grpc.Core;
using Fabric.Grpc;
using Fabric.Network.Hosting;
using Fabric.Network.Tests.Support;
using Protos;

namespace Fabric.Network.Tests.EndToEnd;

/// <summary>An official Node chaincode (fabric-contract-api 2.5.8, `fabric-chaincode-node server`) served as CCaaS to the embedded network.</summary>
public sealed class NodeChaincodeTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private ListeningProcess? _chaincode;
    private EmbeddedNetwork? _network;

    public async Task InitializeAsync()
    {
        _chaincode = await NodeChaincodeServer.StartAsync("kv_1.0", Path.Combine("chaincode", "kv"));

        var definition = NetworkFixture.Definition(_chaincode.Address);
        definition.Chaincodes[0].PackageId = "kv_1.0";
        _network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = _directory.Path, Definition = definition, LoggerFactory = FileLoggerProvider.FromEnvironment() });
    }

    [Fact]
    public async Task Node_contract_serves_submit_evaluate_errors_ranges_and_MVCC()
    {
        using var client = new TestGatewayClient(_network!, _network!.Peers[0], _network.Client(_network.Peers[0].MspId));
        var (txId, status, _) = await TestGatewayClient.Explained(client.SubmitTransactionAsync("put", "asset1", "v1"));
        Assert.Equal(TxValidationCode.Valid, status.Result);
        var tx = TransactionEnvelope.Parse(_network.Ledger.GetBlock(status.BlockNumber).Data.Data.Single(d => TransactionEnvelope.Parse(d).TransactionId == txId));
        Assert.Equal("Put", tx.SingleAction()!.Event!.EventName);
        Assert.Equal("{\"key\":\"asset1\",\"value\":\"v1\"}", tx.SingleAction()!.Event!.Payload.ToStringUtf8());
        Assert.Equal("v1", (await TestGatewayClient.Explained(client.EvaluateAsync("get", "asset1"))).Payload.ToStringUtf8());

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.EvaluateAsync("get", "nothing"));
        Assert.Equal(StatusCode.Unknown, missing.StatusCode);
        Assert.Equal("evaluate call to endorser returned error: chaincode response 500, nothing does not exist", missing.Status.Detail);

        foreach (var key in new[] { "range:a", "range:b", "range:c" })
            Assert.Equal(TxValidationCode.Valid, (await TestGatewayClient.Explained(client.SubmitTransactionAsync("put", key, "x"))).Status.Result);
        var (_, counted, _) = await TestGatewayClient.Explained(client.SubmitTransactionAsync("count", "range:", "range;"));
        Assert.Equal(TxValidationCode.Valid, counted.Result);

        var a = client.Proposal("incr", "counter");
        var b = client.Proposal("incr", "counter");
        var endorsedA = await client.EndorseAsync(a);
        var endorsedB = await client.EndorseAsync(b);
        await Task.WhenAll(client.SubmitAsync(TestGatewayClient.TxId(a), client.Sign(endorsedA.PreparedTransaction)), client.SubmitAsync(TestGatewayClient.TxId(b), client.Sign(endorsedB.PreparedTransaction)));
        var codes = new[] { (await client.CommitStatusAsync(TestGatewayClient.TxId(a))).Result, (await client.CommitStatusAsync(TestGatewayClient.TxId(b))).Result };
        Assert.Equal(new[] { TxValidationCode.Valid, TxValidationCode.MvccReadConflict }, codes.Order());
    }

    public async Task DisposeAsync()
    {
        if (_network is not null) await _network.DisposeAsync();
        if (_chaincode is not null) await _chaincode.DisposeAsync();
        _directory.Dispose();
    }
}
