using Fabric.Client.EmbeddedTests.Support;
using Grpc.Core;
using Fabric.Grpc;
using Protos;

namespace Fabric.Client.EmbeddedTests;

/// <summary>Typed errors for each step, with the transaction id, the gRPC status and the gateway's per-peer details.</summary>
[Collection(SharedNetworkCollection.Name)]
public sealed class ErrorTests(SharedNetwork shared)
{
    private TestNetwork Net => shared.Net;

    [Fact]
    public async Task Chaincode_error_is_an_EndorseException_with_the_message_of_the_failing_peer()
    {
        var proposal = Net.KvContract(Net.Gateway(peer: 0)).NewProposal("Fail", new ProposalOptions().AddArguments("no funds left"));

        var e = await Assert.ThrowsAsync<EndorseException>(() => proposal.EndorseAsync());

        Assert.Equal(proposal.TransactionId, e.TransactionId);
        Assert.Equal(StatusCode.Aborted, e.StatusCode);
        var detail = Assert.Single(e.Details);
        Assert.Equal(Net.Peer(0).Address, detail.Address);
        Assert.Equal(Net.Peer(0).MspId, detail.MspId);
        Assert.Contains("no funds left", detail.Message);
        Assert.Null(Net.Network.Ledger.FindTransaction(proposal.TransactionId));
    }

    [Fact]
    public async Task Every_failing_endorser_has_its_own_detail()
    {
        var contract = Net.KvContract(Net.Gateway(peer: 0));
        var options = new ProposalOptions().AddArguments("refused").WithEndorsingOrganizations(Net.Peer(1).MspId, Net.Peer(2).MspId);

        var e = await Assert.ThrowsAsync<EndorseException>(() => contract.SubmitAndCommitAsync("Fail", options));

        Assert.Equal(
            new[] { (Net.Peer(1).Address, Net.Peer(1).MspId), (Net.Peer(2).Address, Net.Peer(2).MspId) }.Order(),
            e.Details.Select(d => (d.Address, d.MspId)).Order());
        Assert.All(e.Details, d => Assert.Contains("refused", d.Message));
    }

    [Fact]
    public async Task Evaluate_error_is_a_GatewayException_with_the_peer_detail()
    {
        var contract = Net.KvContract(Net.Gateway(peer: 1));
        var key = Keys.New("missing");

        var e = await Assert.ThrowsAsync<GatewayException>(() => contract.EvaluateTransactionAsync("Get", key));

        Assert.IsNotAssignableFrom<GatewayTransactionException>(e);
        var detail = Assert.Single(e.Details);
        Assert.Equal((Net.Peer(1).Address, Net.Peer(1).MspId), (detail.Address, detail.MspId));
        Assert.Contains($"{key} does not exist", detail.Message);
    }

    [Fact]
    public async Task Envelope_with_a_bad_signature_is_a_SubmitException_and_never_reaches_the_ledger()
    {
        var gateway = Net.Gateway(peer: 0);
        var endorsed = await Net.KvContract(gateway).NewProposal("Put", new ProposalOptions().AddArguments(Keys.New("forged"), "x")).EndorseAsync();
        var otherAgency = Net.User(Net.Peer(1).MspId).Signer!;
        var forged = gateway.NewSignedTransaction(endorsed.Bytes, otherAgency.SignDigest(endorsed.Digest));

        var e = await Assert.ThrowsAsync<SubmitException>(() => forged.SubmitAsync());

        Assert.Equal(endorsed.TransactionId, e.TransactionId);
        Assert.Equal(StatusCode.Aborted, e.StatusCode);
        Assert.Contains("FORBIDDEN", e.Message);
        await Net.KvContract(gateway).SubmitTransactionAsync("Put", Keys.New("marker"), "m");   // a later block
        Assert.Null(Net.Network.Ledger.FindTransaction(endorsed.TransactionId));
    }

    [Fact]
    public async Task Commit_status_request_signed_by_someone_else_is_a_CommitStatusException()
    {
        var gateway = Net.Gateway(peer: 0);
        var submitted = await Net.KvContract(gateway).SubmitAsync("Put", new ProposalOptions().AddArguments(Keys.New("status"), "x"));
        var otherAgency = Net.User(Net.Peer(2).MspId).Signer!;
        var commit = gateway.NewSignedCommit(submitted.Commit.Bytes, otherAgency.SignDigest(submitted.Commit.Digest));

        var e = await Assert.ThrowsAsync<CommitStatusException>(() => commit.GetStatusAsync());

        Assert.Equal(submitted.TransactionId, e.TransactionId);
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.True((await submitted.GetStatusAsync()).Successful);   // the transaction itself is fine
    }

    [Fact]
    public async Task Read_conflict_is_a_CommitException_with_MVCC_READ_CONFLICT_the_transaction_id_and_block()
    {
        var contract = Net.KvContract(Net.Gateway());
        var key = Keys.New("conflict");
        await contract.SubmitTransactionAsync("Put", key, "10");
        using var conflict = new ConflictMaker(Net, key);

        var submit = contract.SubmitAndCommitAsync("IncrementGated", conflict.Options());
        await conflict.CommitInterferingIncrementAsync();
        var e = await Assert.ThrowsAsync<CommitException>(() => submit);

        Assert.Equal(TxValidationCode.MvccReadConflict, e.Code);
        Assert.Equal(conflict.FirstTransactionId, e.TransactionId);
        Assert.Equal(Net.Network.Ledger.FindTransaction(e.TransactionId)!.Value.BlockNumber, e.Status.BlockNumber);
        Assert.Equal("11", Net.Network.StateOf(TestNetwork.Chaincode, key));   // only the interfering increment
    }
}
