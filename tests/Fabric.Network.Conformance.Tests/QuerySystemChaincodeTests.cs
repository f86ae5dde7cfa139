using System.Text.Json;
using Common;
using Fabric.Client;
using Fabric.Network.Conformance.Tests.Support;
using Fabric.Protocol.Ledger;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Conformance.Tests;

/// <summary>
/// The query system chaincode (qscc) through the peers' Gateway, as a Fabric 2.5 peer answers it: with our
/// Fabric.Client and with the official Node client (@hyperledger/fabric-gateway, decoded by @hyperledger/fabric-protos).
/// The blocks returned must parse, chain and match the ledger; unknown blocks and transactions fail in Fabric's words.
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed class QuerySystemChaincodeTests(ConformanceNetwork fixture)
{
    [Fact]
    public async Task Chain_info_and_every_block_by_number_chain_and_match_the_ledger()
    {
        var (gateway, resources) = fixture.ClientGateway(1);
        using var _ = resources;
        await CommitAsync(gateway, "qscc-chain");
        var qscc = gateway.GetNetwork(fixture.Network.ChannelName).GetContract("qscc");
        var channel = fixture.Network.ChannelName;

        var info = BlockchainInfo.Parser.ParseFrom(await qscc.EvaluateTransactionAsync("GetChainInfo", channel));

        Assert.True(info.Height >= 2);
        Assert.Equal(fixture.Network.Ledger.GetBlock(info.Height - 1).Header.PreviousHash, info.PreviousBlockHash);
        byte[]? previousHash = null;
        for (ulong n = 0; n < info.Height; n++)
        {
            var bytes = await qscc.EvaluateTransactionAsync("GetBlockByNumber", channel, n.ToString());
            var block = Block.Parser.ParseFrom(bytes);
            Assert.Equal(n, block.Header.Number);
            Assert.Equal(fixture.Network.Ledger.GetBlock(n).ToByteArray(), bytes);
            Assert.Equal(BlockDataHash.Compute(block.Data), block.Header.DataHash.ToByteArray());
            if (previousHash is not null) Assert.Equal(previousHash, block.Header.PreviousHash.ToByteArray());
            previousHash = BlockHeaderHash.Compute(block.Header);
        }
        Assert.Equal(previousHash, info.CurrentBlockHash.ToByteArray());
    }

    [Fact]
    public async Task A_block_by_hash_and_a_transaction_by_id_are_the_committed_ones()
    {
        var (gateway, resources) = fixture.ClientGateway(0);
        using var _ = resources;
        var txId = await CommitAsync(gateway, "qscc-tx");
        var committed = fixture.Network.Ledger.FindTransaction(txId)!.Value;
        var expectedBlock = fixture.Network.Ledger.GetBlock(committed.BlockNumber);
        var qscc = gateway.GetNetwork(fixture.Network.ChannelName).GetContract("qscc");
        var channel = fixture.Network.ChannelName;

        var processed = ProcessedTransaction.Parser.ParseFrom(await qscc.EvaluateTransactionAsync("GetTransactionByID", channel, txId));
        var byTxId = Block.Parser.ParseFrom(await qscc.EvaluateTransactionAsync("GetBlockByTxID", channel, txId));
        var hash = BlockHeaderHash.Compute(expectedBlock.Header);
        var byHash = await qscc.EvaluateAsync("GetBlockByHash", new ProposalOptions().AddArguments(Encoding(channel), hash));

        Assert.Equal((int)TxValidationCode.Valid, processed.ValidationCode);
        Assert.Equal(expectedBlock.Data.Data[committed.Index], processed.TransactionEnvelope.ToByteString());
        Assert.Equal(expectedBlock, byTxId);
        Assert.Equal(expectedBlock.ToByteArray(), byHash);
    }

    [Fact]
    public async Task Unknown_blocks_and_transactions_fail_with_Fabrics_words()
    {
        var (gateway, resources) = fixture.ClientGateway(0);
        using var _ = resources;
        var qscc = gateway.GetNetwork(fixture.Network.ChannelName).GetContract("qscc");
        var channel = fixture.Network.ChannelName;

        var block = await Assert.ThrowsAsync<GatewayException>(() => qscc.EvaluateTransactionAsync("GetBlockByNumber", channel, "999999"));
        var tx = await Assert.ThrowsAsync<GatewayException>(() => qscc.EvaluateTransactionAsync("GetTransactionByID", channel, "nope"));
        var byTx = await Assert.ThrowsAsync<GatewayException>(() => qscc.EvaluateTransactionAsync("GetBlockByTxID", channel, "nope"));
        var badNumber = await Assert.ThrowsAsync<GatewayException>(() => qscc.EvaluateTransactionAsync("GetBlockByNumber", channel, "ten"));
        var function = await Assert.ThrowsAsync<GatewayException>(() => qscc.EvaluateTransactionAsync("GetEverything", channel, "x"));

        Assert.Equal(global::Grpc.Core.StatusCode.Unknown, block.StatusCode);
        Assert.Equal("chaincode response 500, Failed to get block number 999999, error no such block number [999999] in index", Assert.Single(block.Details).Message);
        Assert.Equal("chaincode response 500, Failed to get transaction with id nope, error no such transaction ID [nope] in index", Assert.Single(tx.Details).Message);
        Assert.Equal("chaincode response 500, Failed to get block for txID nope, error no such transaction ID [nope] in index", Assert.Single(byTx.Details).Message);
        Assert.Contains("Failed to parse block number with error strconv.ParseUint: parsing \"ten\": invalid syntax", Assert.Single(badNumber.Details).Message);
        Assert.Contains("Requested function GetEverything not found.", Assert.Single(function.Details).Message);
    }

    [Fact]
    public async Task The_official_Node_client_reads_the_chain_through_qscc()
    {
        var (gateway, resources) = fixture.ClientGateway(0);
        using var _ = resources;
        var txId = await CommitAsync(gateway, "qscc-node");
        var committed = fixture.Network.Ledger.FindTransaction(txId)!.Value;

        var result = await fixture.RunClientScenarioAsync("qscc", ConformanceNetwork.CSharpChaincode, txId);

        var height = result.GetProperty("height").GetUInt64();
        Assert.True(height > committed.BlockNumber);
        var blocks = result.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal((int)height, blocks.Count);
        for (var n = 0; n < blocks.Count; n++)
        {
            var block = blocks[n];
            var ours = fixture.Network.Ledger.GetBlock((ulong)n);
            Assert.Equal(n, block.GetProperty("number").GetInt32());
            Assert.Equal(block.GetProperty("dataHash").GetString(), block.GetProperty("computedDataHash").GetString());
            Assert.Equal(Convert.ToHexStringLower(ours.Header.DataHash.Span), block.GetProperty("dataHash").GetString());
            if (n > 0) Assert.Equal(Convert.ToHexStringLower(BlockHeaderHash.Compute(fixture.Network.Ledger.GetBlock((ulong)n - 1).Header)), block.GetProperty("previousHash").GetString());
        }
        Assert.Equal(Convert.ToHexStringLower(BlockHeaderHash.Compute(fixture.Network.Ledger.GetBlock(height - 1).Header)), result.GetProperty("currentBlockHash").GetString());
        Assert.Equal(height - 2, result.GetProperty("byHashNumber").GetUInt64());
        Assert.Equal(txId, result.GetProperty("transaction").GetProperty("txId").GetString());
        Assert.Equal(0, result.GetProperty("transaction").GetProperty("validationCode").GetInt32());
        Assert.Equal(committed.BlockNumber, result.GetProperty("byTxIdNumber").GetUInt64());
        AssertFailure(result.GetProperty("missingBlock"), $"Failed to get block number {height + 100}, error no such block number [{height + 100}] in index");
        AssertFailure(result.GetProperty("missingTransaction"), "Failed to get transaction with id no-such-transaction, error no such transaction ID [no-such-transaction] in index");
    }

    private static void AssertFailure(JsonElement failure, string message)
    {
        Assert.True(failure.GetProperty("thrown").GetBoolean());
        Assert.Equal("GatewayError", failure.GetProperty("name").GetString());
        Assert.Equal(2, failure.GetProperty("code").GetInt32());   // UNKNOWN, as Fabric's gateway answers a chaincode error
        Assert.Equal("chaincode response 500, " + message, Assert.Single(failure.GetProperty("details").EnumerateArray()).GetString());
    }

    private async Task<string> CommitAsync(Fabric.Client.Gateway gateway, string key)
    {
        var contract = gateway.GetNetwork(fixture.Network.ChannelName).GetContract(ConformanceNetwork.CSharpChaincode);
        var submitted = await contract.SubmitAsync("Put", new ProposalOptions().AddArguments(key, "v"));
        Assert.True((await submitted.GetStatusAsync()).Successful);
        return submitted.TransactionId;
    }

    private static byte[] Encoding(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
