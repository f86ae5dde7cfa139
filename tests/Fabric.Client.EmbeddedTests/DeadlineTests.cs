using System.Diagnostics;
using Fabric.Client.EmbeddedTests.Support;
using Fabric.Grpc;
using Google.Protobuf;

namespace Fabric.Client.EmbeddedTests;

/// <summary>
/// Deadlines and CancellationTokens against a chaincode function that takes 5 s: the call ends when the
/// deadline passes or the token is cancelled, well before the chaincode answers, with the typed exception.
/// </summary>
[Collection(SharedNetworkCollection.Name)]
public sealed class DeadlineTests(SharedNetwork shared)
{
    private const string SlowMilliseconds = "5000";
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(3);   // far below the chaincode's 5 s

    private TestNetwork Net => shared.Net;

    [Fact]
    public async Task Evaluate_past_its_deadline_fails_with_DEADLINE_EXCEEDED()
    {
        var contract = Net.KvContract(Net.Gateway());
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<GatewayException>(() =>
            contract.EvaluateAsync("Sleep", new ProposalOptions().AddArguments(SlowMilliseconds), timeout: TimeSpan.FromMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Evaluate_cancelled_by_its_token_fails_with_CANCELLED()
    {
        var contract = Net.KvContract(Net.Gateway());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<GatewayException>(() =>
            contract.EvaluateAsync("Sleep", new ProposalOptions().AddArguments(SlowMilliseconds), cancellationToken: cancel.Token));

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Endorse_past_its_deadline_fails_with_an_EndorseException_naming_the_transaction()
    {
        var proposal = Net.KvContract(Net.Gateway()).NewProposal("Sleep", new ProposalOptions().AddArguments(SlowMilliseconds));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<EndorseException>(() => proposal.EndorseAsync(TimeSpan.FromMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Equal(proposal.TransactionId, e.TransactionId);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Endorse_cancelled_by_its_token_fails_with_CANCELLED_and_orders_nothing()
    {
        var contract = Net.KvContract(Net.Gateway());
        var proposal = contract.NewProposal("Sleep", new ProposalOptions().AddArguments(SlowMilliseconds));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<EndorseException>(() => proposal.EndorseAsync(cancellationToken: cancel.Token));

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
        Assert.Null(Net.Network.Ledger.FindTransaction(proposal.TransactionId));
    }

    [Fact]
    public async Task Commit_status_of_a_transaction_that_never_commits_ends_at_its_deadline()
    {
        var gateway = Net.Gateway();
        var transaction = await Net.KvContract(gateway).NewProposal("Put", new ProposalOptions().AddArguments(Keys.New("never"), "x")).EndorseAsync();
        // A commit-status request for the endorsed but never submitted transaction.
        var commit = gateway.NewCommit(CommitRequestFor(gateway, Net.ChannelName, transaction.TransactionId));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<CommitStatusException>(() => commit.GetStatusAsync(TimeSpan.FromMilliseconds(500)));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Equal(transaction.TransactionId, e.TransactionId);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Chaincode_event_stream_ends_promptly_when_its_token_is_cancelled()
    {
        var network = Net.Gateway().GetNetwork(Net.ChannelName);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        // No start block: waits for events of blocks not yet committed.
        var e = await Assert.ThrowsAsync<GatewayException>(async () =>
        {
            await foreach (var _ in network.GetChaincodeEventsAsync("no-such-chaincode-events", cancellationToken: cancel.Token)) { }
        });

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
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
