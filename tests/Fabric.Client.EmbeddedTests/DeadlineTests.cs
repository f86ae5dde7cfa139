using System.Diagnostics;
using Fabric.Client.EmbeddedTests.Support;
using Grpc.Core;
using Fabric.Grpc;
using Google.Protobuf;

namespace Fabric.Client.EmbeddedTests;

/// <summary>
/// Deadlines and CancellationTokens against a chaincode function that takes 5 s: the call ends when the
/// deadline passes (the typed exception, DEADLINE_EXCEEDED) or the token is cancelled (OperationCanceledException
/// carrying that token, as everywhere in .NET), well before the chaincode answers.
/// </summary>
[Collection(SharedNetworkCollection.Name)]
public sealed class DeadlineTests(SharedNetwork shared)
{
    private const string SlowMilliseconds = "5000";
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(3);   // far below the chaincode's 5 s

    /// <summary>Were the deadline or token ignored, the call would hang (or answer after 5 s): fail instead of waiting.</summary>
    private static Task Bounded(Task call) => call.WaitAsync(TimeSpan.FromSeconds(10));

    private TestNetwork Net => shared.Net;

    [Fact]
    public async Task Evaluate_past_its_deadline_fails_with_DEADLINE_EXCEEDED()
    {
        var contract = Net.KvContract(Net.Gateway());
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<GatewayException>(() =>
            Bounded(contract.EvaluateAsync("Sleep", new ProposalOptions().AddArguments(SlowMilliseconds), timeout: TimeSpan.FromMilliseconds(300))));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Evaluate_cancelled_by_its_token_while_in_flight_throws_OperationCanceledException_with_that_token()
    {
        var contract = Net.KvContract(Net.Gateway());
        using var cancel = new CancellationTokenSource();
        Net.Contract.SleepStarted = cancel.Cancel;   // cancelled once the chaincode runs
        try
        {
            var clock = Stopwatch.StartNew();

            var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Bounded(contract.EvaluateAsync("Sleep", new ProposalOptions().AddArguments(SlowMilliseconds), cancellationToken: cancel.Token)));

            Assert.Equal(cancel.Token, e.CancellationToken);
            Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
        }
        finally
        {
            Net.Contract.SleepStarted = null;
        }
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_throws_OperationCanceledException_and_sends_nothing()
    {
        var contract = Net.KvContract(Net.Gateway());
        var key = Keys.New("pre-cancelled");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => contract.SubmitAsync("Put", new ProposalOptions().AddArguments(key, "x"), cancel.Token));

        Assert.Equal(cancel.Token, e.CancellationToken);

        await contract.SubmitTransactionAsync("Put", Keys.New("marker"), "m");
        Assert.Null(Net.Network.StateOf(TestNetwork.Chaincode, key));
    }

    [Fact]
    public async Task Endorse_past_its_deadline_fails_with_an_EndorseException_naming_the_transaction()
    {
        var proposal = Net.KvContract(Net.Gateway()).NewProposal("Sleep", new ProposalOptions().AddArguments(SlowMilliseconds));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<EndorseException>(() => Bounded(proposal.EndorseAsync(TimeSpan.FromMilliseconds(300))));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Equal(proposal.TransactionId, e.TransactionId);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Endorse_cancelled_by_its_token_while_in_flight_throws_OperationCanceledException_and_orders_nothing()
    {
        var contract = Net.KvContract(Net.Gateway());
        var proposal = contract.NewProposal("Sleep", new ProposalOptions().AddArguments(SlowMilliseconds));
        using var cancel = new CancellationTokenSource();
        Net.Contract.SleepStarted = cancel.Cancel;
        try
        {
            var clock = Stopwatch.StartNew();

            var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded(proposal.EndorseAsync(cancellationToken: cancel.Token)));

            Assert.Equal(cancel.Token, e.CancellationToken);
            Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
            Assert.Null(Net.Network.Ledger.FindTransaction(proposal.TransactionId));
        }
        finally
        {
            Net.Contract.SleepStarted = null;
        }
    }

    [Fact]
    public async Task Commit_status_of_a_transaction_that_never_commits_ends_at_its_deadline()
    {
        var gateway = Net.Gateway();
        var transaction = await Net.KvContract(gateway).NewProposal("Put", new ProposalOptions().AddArguments(Keys.New("never"), "x")).EndorseAsync();
        // A commit-status request for the endorsed but never submitted transaction.
        var commit = gateway.NewCommit(CommitRequestFor(gateway, Net.ChannelName, transaction.TransactionId));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<CommitStatusException>(() => Bounded(commit.GetStatusAsync(TimeSpan.FromMilliseconds(500))));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Equal(transaction.TransactionId, e.TransactionId);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Commit_status_wait_cancelled_by_its_token_throws_OperationCanceledException_with_that_token()
    {
        var gateway = Net.Gateway();
        var transaction = await Net.KvContract(gateway).NewProposal("Put", new ProposalOptions().AddArguments(Keys.New("never-cancelled"), "x")).EndorseAsync();
        // Never submitted: the peer holds the commit-status call until the token ends it.
        var commit = gateway.NewCommit(CommitRequestFor(gateway, Net.ChannelName, transaction.TransactionId));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded(commit.GetStatusAsync(cancellationToken: cancel.Token)));

        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Chaincode_event_stream_ends_promptly_when_its_token_is_cancelled()
    {
        var gateway = Net.Gateway();
        var status = await (await Net.KvContract(gateway).SubmitAsync("Put", new ProposalOptions().AddArguments(Keys.New("stream"), "x"))).GetStatusAsync();
        using var cancel = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        // Cancelled after the first event, while the open stream waits for blocks not yet committed.
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded(Task.Run(async () =>
        {
            await foreach (var _ in gateway.GetNetwork(Net.ChannelName).GetChaincodeEventsAsync(TestNetwork.Chaincode,
                               new EventsOptions { StartBlock = status.BlockNumber }, cancel.Token))
            {
                clock.Restart();
                await cancel.CancelAsync();
            }
        })));

        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    /// <summary>A signed commit-status request built the way the client builds one, for a transaction of our choosing.</summary>
    internal static byte[] CommitRequestFor(Gateway gateway, string channelName, string transactionId, Fabric.Protocol.Identity.ISigner? signer = null)
    {
        var request = new global::Gateway.CommitStatusRequest
        {
            ChannelId = channelName,
            TransactionId = transactionId,
            Identity = Google.Protobuf.ByteString.CopyFrom(gateway.Identity.ToSerializedIdentity()),
        };
        var signed = new global::Gateway.SignedCommitStatusRequest { Request = request.ToByteString() };
        if (signer is not null) signed.Signature = Google.Protobuf.ByteString.CopyFrom(signer.Sign(signed.Request.Span));
        return signed.ToByteArray();
    }
}
