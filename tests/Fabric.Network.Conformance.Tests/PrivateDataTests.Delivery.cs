using Fabric.Client;
using Fabric.Network.Conformance.Tests.Support;
using Protos;

namespace Fabric.Network.Conformance.Tests;

/// <summary>
/// Blocks with their private data (<c>DeliverWithPrivateData</c>): a peer hands out what its organisation holds, to
/// clients of the collection's member organisations only, without purged or expired data.
/// </summary>
public sealed partial class PrivateDataTests
{
    [Fact]
    public async Task A_block_comes_with_the_private_writes_a_member_peer_holds_for_member_clients_only()
    {
        const string chaincode = ConformanceNetwork.CSharpChaincode;
        var (value, status, index) = await PutCommittedAsync("delivered");

        var toWfp = await DeliveredAsync(Wfp, null, status.BlockNumber);
        var toWfpFromUnWomen = await DeliveredAsync(UnWomen, "WFPMSP", status.BlockNumber);
        var toUnhcr = await DeliveredAsync(Wfp, "UNHCRMSP", status.BlockNumber);
        var fromUnhcr = await DeliveredAsync(Unhcr, "UNHCRMSP", status.BlockNumber);

        Assert.Equal(fixture.Network.Ledger.GetBlock(status.BlockNumber), toWfp.Block);
        var tx = toWfp.PrivateDataMap[(ulong)index];
        Assert.Equal(Rwset.TxReadWriteSet.Types.DataModel.Kv, tx.DataModel);
        Assert.Equal(value, PrivateBlocks.Writes(toWfp, chaincode, Shared)["delivered"]);
        Assert.Equal(value, PrivateBlocks.Writes(toWfpFromUnWomen, chaincode, Shared)["delivered"]);
        Assert.Empty(toUnhcr.PrivateDataMap);      // the client's organisation is not a member of the collection
        Assert.Empty(fromUnhcr.PrivateDataMap);    // the peer's organisation holds none of it
        Assert.Equal(toWfp.Block, fromUnhcr.Block);
    }

    [Fact]
    public async Task Purged_and_expired_private_data_is_not_delivered_with_its_block()
    {
        const string chaincode = ConformanceNetwork.CSharpChaincode;
        var purged = await PutAsync(chaincode, Shared, "delivery-purged", "to be purged");
        Assert.Equal(TxValidationCode.Valid, purged.Code);
        Assert.Equal("to be purged", PrivateBlocks.Writes(await DeliveredAsync(Wfp, null, purged.BlockNumber), chaincode, Shared)["delivery-purged"]);
        Assert.Equal(TxValidationCode.Valid, (await SubmitAsync(Wfp, chaincode, "PrivateDataContract:PurgePrivate", new ProposalOptions().AddArguments(Shared, "delivery-purged"))).Code);
        var rewritten = await PutAsync(chaincode, Shared, "delivery-purged", "after the purge");
        var shortLived = await PutAsync(chaincode, ConformanceNetwork.ShortLivedCollection, "delivery-expiring", "short-lived");

        Assert.DoesNotContain("delivery-purged", PrivateBlocks.Writes(await DeliveredAsync(Wfp, null, purged.BlockNumber), chaincode, Shared).Keys);
        Assert.Equal("after the purge", PrivateBlocks.Writes(await DeliveredAsync(Wfp, null, rewritten.BlockNumber), chaincode, Shared)["delivery-purged"]);
        Assert.Equal("short-lived", PrivateBlocks.Writes(await DeliveredAsync(Wfp, null, shortLived.BlockNumber), chaincode, ConformanceNetwork.ShortLivedCollection)["delivery-expiring"]);
        await CommitBlocksUntilHeightAsync(chaincode, shortLived.BlockNumber + 4); // block B+3 committed: expired
        Assert.Empty(PrivateBlocks.Writes(await DeliveredAsync(Wfp, null, shortLived.BlockNumber), chaincode, ConformanceNetwork.ShortLivedCollection));
    }

    [Fact]
    public async Task The_official_Node_client_reads_a_block_with_its_private_data()
    {
        const string chaincode = ConformanceNetwork.CSharpChaincode;
        var (value, status, index) = await PutCommittedAsync("delivered-to-node");

        // WFP's peer and a WFP client: a member organisation's peer, a member organisation's client.
        var result = await fixture.RunClientScenarioAsync("privateBlock", chaincode, status.BlockNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((long)status.BlockNumber, result.GetProperty("number").GetInt64());
        var entry = Assert.Single(result.GetProperty("privateData").EnumerateArray());
        Assert.Equal(index, entry.GetProperty("txSeq").GetInt32());
        Assert.Equal(chaincode, entry.GetProperty("namespace").GetString());
        Assert.Equal(Shared, entry.GetProperty("collection").GetString());
        var write = Assert.Single(entry.GetProperty("writes").EnumerateArray());
        Assert.Equal(("delivered-to-node", value, false), (write.GetProperty("key").GetString(), write.GetProperty("value").GetString(), write.GetProperty("isDelete").GetBoolean()));
    }

    // A fresh value for the key in the shared collection (C# chaincode), committed: the value, its status, its index in the block.
    private async Task<(string Value, CommitStatus Status, int Index)> PutCommittedAsync(string key)
    {
        var value = $"{key}-{Guid.NewGuid():N}";
        var status = await PutAsync(ConformanceNetwork.CSharpChaincode, Shared, key, value);
        Assert.Equal(TxValidationCode.Valid, status.Code);
        return (value, status, fixture.Network.Ledger.FindTransaction(status.TransactionId)!.Value.Index);
    }

    private async Task<BlockAndPrivateData> DeliveredAsync(int peer, string? userMspId, ulong blockNumber)
    {
        var (gateway, resources) = fixture.ClientGateway(peer, userMspId);
        using var _ = resources;
        return await PrivateBlocks.DeliveredAsync(gateway, fixture.Network.ChannelName, blockNumber);
    }
}
