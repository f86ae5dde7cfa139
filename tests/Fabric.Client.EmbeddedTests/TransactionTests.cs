using System.Security.Cryptography;
using System.Text;
using Fabric.Client.EmbeddedTests.Support;
using Protos;

namespace Fabric.Client.EmbeddedTests;

/// <summary>Evaluate, submit, SubmitAsync, the fine-grained flow, endorsing organisations and transient data on the embedded network.</summary>
[Collection(SharedNetworkCollection.Name)]
public sealed class TransactionTests(SharedNetwork shared)
{
    private TestNetwork Net => shared.Net;

    [Fact]
    public async Task Evaluate_returns_the_result_of_the_function_and_writes_nothing()
    {
        var contract = Net.KvContract(Net.Gateway());
        var key = Keys.New("evaluate");

        var result = await contract.EvaluateTransactionAsync("Increment", key);

        Assert.Equal("1", Contract.AsString(result));
        Assert.Null(Net.Network.StateOf(TestNetwork.Chaincode, key));
        await contract.SubmitTransactionAsync("Put", key, "committed");
        Assert.Equal("committed", Contract.AsString(await contract.EvaluateTransactionAsync("Get", key)));
    }

    [Fact]
    public async Task SubmitTransaction_returns_after_the_commit_with_the_result()
    {
        var contract = Net.KvContract(Net.Gateway());
        var key = Keys.New("submit");

        var result = await contract.SubmitTransactionAsync("Put", key, "v1");

        Assert.Equal("v1", Contract.AsString(result));
        Assert.Equal("v1", Net.Network.StateOf(TestNetwork.Chaincode, key));
    }

    [Fact]
    public async Task A_transaction_over_grpcs_default_message_limit_commits_as_on_a_Fabric_peer()
    {
        var contract = Net.KvContract(Net.Gateway());
        var key = Keys.New("large");
        var value = new string('v', 1536 * 1024); // the transaction carries it four times (argument, write, result, event): over gRPC's 4 MiB default

        await contract.SubmitTransactionAsync("Put", key, value);

        Assert.Equal(value, Net.Network.StateOf(TestNetwork.Chaincode, key));
    }

    [Fact]
    public async Task A_transaction_over_the_channels_AbsoluteMaxBytes_is_refused_as_too_large_and_writes_nothing()
    {
        var contract = Net.KvContract(Net.Gateway());
        var key = Keys.New("too-large");

        var e = await Assert.ThrowsAnyAsync<GatewayException>(() => contract.SubmitTransactionAsync("Put", key, new string('v', 6 * 1024 * 1024)));

        Assert.True(GatewayResilience.IsTooLarge(e), e.Message);
        Assert.False(GatewayResilience.IsTransient(e));
        Assert.Null(Net.Network.StateOf(TestNetwork.Chaincode, key));
    }

    [Fact]
    public async Task SubmitAsync_gives_the_result_before_the_commit_then_the_status_with_its_block()
    {
        var contract = Net.KvContract(Net.Gateway());
        var key = Keys.New("submit-async");

        var submitted = await contract.SubmitAsync("Increment", new ProposalOptions().AddArguments(key));

        Assert.Equal("1", Contract.AsString(submitted.Result));
        // Blocks are cut 250 ms after the first transaction: not yet on the ledger.
        Assert.Null(Net.Network.Ledger.FindTransaction(submitted.TransactionId));
        var status = await submitted.GetStatusAsync();
        Assert.True(status.Successful);
        Assert.Equal(submitted.TransactionId, status.TransactionId);
        var onLedger = Net.Network.Ledger.FindTransaction(submitted.TransactionId);
        Assert.NotNull(onLedger);
        Assert.Equal(onLedger.Value.BlockNumber, status.BlockNumber);
        Assert.Equal("1", Net.Network.StateOf(TestNetwork.Chaincode, key));
    }

    [Fact]
    public async Task Fine_grained_flow_lets_each_step_be_repeated_and_rebuilt_without_a_second_effect()
    {
        var gateway = Net.Gateway();
        var contract = Net.KvContract(gateway);
        var key = Keys.New("fine-grained");

        var proposal = contract.NewProposal("Increment", new ProposalOptions().AddArguments(key));
        var first = await proposal.EndorseAsync();
        var again = await proposal.EndorseAsync();   // endorsing the same signed proposal again
        Assert.Equal(proposal.TransactionId, first.TransactionId);
        Assert.Equal(first.TransactionId, again.TransactionId);
        Assert.Equal("1", Contract.AsString(again.Result));

        var rebuilt = gateway.NewTransaction(first.Bytes);   // e.g. stored, then submitted by another process
        var submitted = await rebuilt.SubmitAsync();
        var status = await submitted.GetStatusAsync();
        var statusAgain = await gateway.NewCommit(submitted.Commit.Bytes).GetStatusAsync();
        Assert.Equal(TxValidationCode.Valid, status.Code);
        Assert.Equal(status, statusAgain);

        // Submitting the same transaction again is harmless: Fabric marks the copy DUPLICATE_TXID.
        var resubmitted = await again.SubmitAsync();
        Assert.Equal(status, await resubmitted.GetStatusAsync());
        var marker = await contract.SubmitAsync("Put", new ProposalOptions().AddArguments(Keys.New("marker"), "m"));
        await marker.GetStatusAsync();
        var copies = Net.Network.Transactions().Where(t => t.Transaction.TransactionId == proposal.TransactionId).ToList();
        Assert.Equal(new[] { TxValidationCode.Valid, TxValidationCode.DuplicateTxid }, copies.Select(c => c.Transaction.ValidationCode!.Value));
        Assert.Equal("1", Net.Network.StateOf(TestNetwork.Chaincode, key));
    }

    [Fact]
    public async Task Endorsing_organisations_option_sends_the_proposal_to_those_agencies_only()
    {
        var contract = Net.KvContract(Net.Gateway(peer: 0));   // WFP's peer
        var chosen = new[] { Net.Peer(1).MspId, Net.Peer(2).MspId };

        var submitted = await contract.SubmitAsync("Put", new ProposalOptions().AddArguments(Keys.New("orgs"), "x").WithEndorsingOrganizations(chosen));
        Assert.True((await submitted.GetStatusAsync()).Successful);
        Assert.Equal(chosen.Order(), Net.Network.EndorsersOf(submitted.TransactionId).Order());

        var byDefault = await contract.SubmitAsync("Put", new ProposalOptions().AddArguments(Keys.New("orgs"), "y"));
        await byDefault.GetStatusAsync();
        Assert.Contains(Net.Peer(0).MspId, Net.Network.EndorsersOf(byDefault.TransactionId));

        // One agency cannot satisfy MAJORITY: the gateway obeys the option and the commit is invalid.
        var alone = await Assert.ThrowsAsync<CommitException>(() =>
            contract.SubmitAndCommitAsync("Put", new ProposalOptions().AddArguments(Keys.New("orgs"), "z").WithEndorsingOrganizations(Net.Peer(2).MspId)));
        Assert.Equal(TxValidationCode.EndorsementPolicyFailure, alone.Code);
        Assert.Equal(Net.Peer(2).MspId, Assert.Single(Net.Network.EndorsersOf(alone.TransactionId)));
    }

    [Fact]
    public async Task Transient_data_reaches_the_chaincode_and_never_the_ledger()
    {
        var contract = Net.KvContract(Net.Gateway());
        var key = Keys.New("transient");
        var secret = Encoding.UTF8.GetBytes("secret-" + Guid.NewGuid().ToString("N"));

        var submitted = await contract.SubmitAsync("StoreSecretHash", new ProposalOptions().AddArguments(key).AddTransient("secret", secret));
        var status = await submitted.GetStatusAsync();

        Assert.True(status.Successful);
        Assert.Equal(secret.Length.ToString(), Contract.AsString(submitted.Result));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(secret)), Net.Network.StateOf(TestNetwork.Chaincode, key));
        Assert.DoesNotContain(Net.Network.RawBlocks(), block => block.AsSpan().IndexOf(secret) >= 0);

        var missing = await Assert.ThrowsAsync<EndorseException>(() => contract.SubmitTransactionAsync("StoreSecretHash", Keys.New("transient")));
        Assert.Contains(missing.Details, d => d.Message.Contains("transient field 'secret' is missing"));
    }
}
