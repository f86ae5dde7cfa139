using Fabric.Network.Conformance.Tests.Support;
using Protos;

namespace Fabric.Network.Conformance.Tests;

/// <summary>
/// The official Node client (@hyperledger/fabric-gateway 1.11) against the embedded network, on a chaincode
/// written with our shim and on an official Node chaincode (fabric-contract-api in server mode, via CCaaS).
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed class OfficialClientTests(ConformanceNetwork fixture)
{
    public static TheoryData<string> Chaincodes => new() { ConformanceNetwork.CSharpChaincode, ConformanceNetwork.NodeChaincode };

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Submit_and_evaluate_return_the_chaincode_results(string chaincode)
    {
        var result = await fixture.BasicsAsync(chaincode);

        Assert.Equal("hello", result.GetProperty("put").GetString());
        Assert.Equal("hello", result.GetProperty("get").GetString());
        Assert.Equal("1", result.GetProperty("increment").GetProperty("result").GetString());
        Assert.Equal("hello", CommittedValue(chaincode, $"basics-{chaincode}"));
        Assert.Equal("1", CommittedValue(chaincode, $"basics-{chaincode}-counter"));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Commit_status_is_valid_with_the_block_that_holds_the_transaction(string chaincode)
    {
        var increment = (await fixture.BasicsAsync(chaincode)).GetProperty("increment");
        var txId = increment.GetProperty("transactionId").GetString()!;
        var status = increment.GetProperty("status");

        var committed = fixture.Network.Ledger.FindTransaction(txId);
        Assert.NotNull(committed);
        Assert.Equal(TxValidationCode.Valid, committed.Value.Code);
        Assert.Equal((int)TxValidationCode.Valid, status.GetProperty("code").GetInt32());
        Assert.True(status.GetProperty("successful").GetBoolean());
        Assert.Equal(txId, status.GetProperty("transactionId").GetString());
        Assert.Equal(committed.Value.BlockNumber.ToString(), status.GetProperty("blockNumber").GetString());
        Assert.True(committed.Value.BlockNumber > 0, "the genesis block holds no chaincode transaction");
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task A_failing_transaction_surfaces_as_an_EndorseError_naming_the_peers(string chaincode)
    {
        var failure = (await fixture.BasicsAsync(chaincode)).GetProperty("failure");

        Assert.True(failure.GetProperty("thrown").GetBoolean(), "submitting Fail must throw");
        Assert.Equal("EndorseError", failure.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(failure.GetProperty("transactionId").GetString()));
        var details = failure.GetProperty("details").EnumerateArray().ToList();
        Assert.NotEmpty(details);
        var peers = fixture.Network.Peers;
        foreach (var detail in details)
        {
            var peer = Assert.Single(peers, p => p.Address == detail.GetProperty("address").GetString());
            Assert.Equal(peer.MspId, detail.GetProperty("mspId").GetString());
            Assert.Contains("deliberate failure", detail.GetProperty("message").GetString());
        }
        Assert.Null(fixture.Network.Ledger.FindTransaction(failure.GetProperty("transactionId").GetString()!));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Chaincode_events_from_a_start_block_carry_what_was_submitted(string chaincode)
    {
        var result = await fixture.BasicsAsync(chaincode);
        var emit = result.GetProperty("emit");
        var emitTxId = emit.GetProperty("transactionId").GetString()!;
        Assert.True(result.TryGetProperty("event", out var received), "no chaincode event arrived for the Emit transaction");

        Assert.Equal(chaincode, received.GetProperty("chaincodeName").GetString());
        Assert.Equal("conformance.event", received.GetProperty("eventName").GetString());
        Assert.Equal(emit.GetProperty("payload").GetString(), received.GetProperty("payload").GetString());
        Assert.Equal(emitTxId, received.GetProperty("transactionId").GetString());
        var committed = fixture.Network.Ledger.FindTransaction(emitTxId);
        Assert.NotNull(committed);
        Assert.Equal(committed.Value.BlockNumber.ToString(), received.GetProperty("blockNumber").GetString());
        Assert.Equal(emit.GetProperty("blockNumber").GetString(), received.GetProperty("blockNumber").GetString());
    }

    // What the embedded ledger's world state holds for the chaincode's key, independent of any client.
    private string? CommittedValue(string chaincode, string key) =>
        fixture.Network.Ledger.State.Get(chaincode, key) is { } value ? value.Value.ToStringUtf8() : null;
}
