using Fabric.Client.EmbeddedTests.Support;
using Grpc.Core;
using Fabric.Grpc;
using Protos;

namespace Fabric.Client.EmbeddedTests;

/// <summary>
/// The Polly pipelines against real failures: connections dropped by a proxy in front of the peer, a read
/// conflict made on purpose, and a submit whose answer is lost after the orderer took the transaction.
/// </summary>
[Collection(SharedNetworkCollection.Name)]
public sealed class ResilienceTests(SharedNetwork shared)
{
    private TestNetwork Net => shared.Net;

    private static GatewayOptions Retrying(int retries = 5) => new()
    {
        Resilience = new GatewayResilienceOptions
        {
            IdempotentCalls = GatewayResilience.TransientRetry(maxRetryAttempts: retries, baseDelay: TimeSpan.FromMilliseconds(50)),
            UnknownOutcomeStatusTimeout = TimeSpan.FromSeconds(10),
        },
    };

    [Fact]
    public async Task Dropped_connections_are_retried_until_the_peer_is_reachable()
    {
        await using var proxy = new TcpProxy(Net.Peer(0).Address);
        // Grpc.Net.Client waits its reconnect backoff (about 1 s, with jitter) after a refused connection before it dials
        // again, so the retries must span a few seconds: 8 attempts from 50 ms doubling.
        var contract = Net.KvContract(Net.Gateway(options: Retrying(retries: 8), via: proxy.Uri(Net.Peer(0).Uri.Scheme)));
        var key = Keys.New("retry");
        proxy.RejectNextConnections(2);

        var result = await contract.SubmitTransactionAsync("Put", key, "after-retry");

        Assert.Equal("after-retry", Contract.AsString(result));
        Assert.Equal(2, proxy.Rejected);
        Assert.Equal("after-retry", Net.Network.StateOf(TestNetwork.Chaincode, key));
    }

    [Fact]
    public async Task Without_a_retry_pipeline_a_peer_that_drops_every_connection_reaches_the_caller_as_UNAVAILABLE()
    {
        await using var proxy = new TcpProxy(Net.Peer(0).Address);
        var contract = Net.KvContract(Net.Gateway(via: proxy.Uri(Net.Peer(0).Uri.Scheme)));
        // Every connection, not just the first: when a connection drops before the request went out, the HTTP handler
        // itself sends the request again on a new one, so a single dropped connection may never reach the caller.
        proxy.RejectNextConnections(int.MaxValue);

        var e = await Assert.ThrowsAsync<GatewayException>(() => contract.EvaluateTransactionAsync("Get", "anything"));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.InRange(proxy.Rejected, 1, int.MaxValue);
    }

    [Fact]
    public async Task Read_conflict_is_re_endorsed_with_a_fresh_proposal_that_commits_VALID()
    {
        var options = Retrying();
        options.Resilience.MaxConflictAttempts = 3;
        var contract = Net.KvContract(Net.Gateway(options: options));
        var key = Keys.New("re-endorse");
        await contract.SubmitTransactionAsync("Put", key, "10");
        using var conflict = new ConflictMaker(Net, key);

        var submit = contract.SubmitAndCommitAsync("IncrementGated", conflict.Options());
        await conflict.CommitInterferingIncrementAsync();
        var result = await submit;

        Assert.Equal("12", Contract.AsString(result));   // re-executed on top of the interfering increment
        Assert.Equal("12", Net.Network.StateOf(TestNetwork.Chaincode, key));
        var ids = conflict.TransactionIds;
        Assert.Equal(2, ids.Count);
        Assert.Equal(TxValidationCode.MvccReadConflict, Net.Network.Ledger.FindTransaction(ids[0])!.Value.Code);
        Assert.Equal(TxValidationCode.Valid, Net.Network.Ledger.FindTransaction(ids[1])!.Value.Code);
    }

    [Fact]
    public async Task Submit_with_a_lost_answer_checks_the_commit_status_and_sends_nothing_twice()
    {
        await using var proxy = new TcpProxy(Net.Peer(0).Address);
        var gateway = Net.Gateway(options: Retrying(), via: proxy.Uri(Net.Peer(0).Uri.Scheme));
        var contract = Net.KvContract(gateway);
        var key = Keys.New("unknown-outcome");
        var transaction = await contract.NewProposal("Increment", new ProposalOptions().AddArguments(key)).EndorseAsync();   // connection is up

        proxy.DropResponses = true;
        var submit = transaction.SubmitAsync(timeout: TimeSpan.FromSeconds(60));
        await Net.Network.Ledger.WaitForTransactionAsync(transaction.TransactionId, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(submit.IsCompleted);   // the orderer has it, the client has not heard
        proxy.DropResponses = false;
        proxy.CutAll();                     // the client sees the connection reset: outcome unknown
        var submitted = await submit;
        var status = await submitted.GetStatusAsync();

        Assert.True(status.Successful);
        // Anything the client resent would be ordered before a transaction submitted after it.
        await contract.SubmitTransactionAsync("Put", Keys.New("marker"), "m");
        var copies = Net.Network.Transactions().Count(t => t.Transaction.TransactionId == transaction.TransactionId);
        Assert.True(copies == 1, $"the transaction was ordered {copies} times");
        Assert.Equal("1", Net.Network.StateOf(TestNetwork.Chaincode, key));
    }
}
