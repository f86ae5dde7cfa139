using Fabric.Client.EmbeddedTests.Support;
using Fabric.Protocol.Identity;
using Fabric.Protocol.Ledger;
using Protos;

namespace Fabric.Client.EmbeddedTests;

/// <summary>
/// A gateway without a signer: every request leaves as bytes and a digest, is signed elsewhere (here: the user's
/// key, by digest only), and is rebuilt from the bytes and the signature. The peers verify every signature.
/// </summary>
[Collection(SharedNetworkCollection.Name)]
public sealed class OfflineSigningTests(SharedNetwork shared)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestNetwork Net => shared.Net;

    private (Gateway Gateway, EcdsaSigner Hsm) OfflineGateway()
    {
        var user = Net.User(Net.Peer(0).MspId);
        return (Gateway.Connect(Net.Channel(0), user.Identity!, signer: null), user.Signer!);
    }

    [Fact]
    public async Task Proposal_transaction_and_commit_status_signed_offline_commit_the_transaction()
    {
        var (gateway, hsm) = OfflineGateway();
        var key = Keys.New("offline");

        var unsigned = Net.KvContract(gateway).NewProposal("Put", new ProposalOptions().AddArguments(key, "signed elsewhere"));
        Assert.False(unsigned.IsSigned);
        var proposal = gateway.NewSignedProposal(unsigned.Bytes, hsm.SignDigest(unsigned.Digest));
        Assert.Equal(unsigned.TransactionId, proposal.TransactionId);

        var unsignedTransaction = await proposal.EndorseAsync();
        var transaction = gateway.NewSignedTransaction(unsignedTransaction.Bytes, hsm.SignDigest(unsignedTransaction.Digest));
        var submitted = await transaction.SubmitAsync();
        var commit = gateway.NewSignedCommit(submitted.Commit.Bytes, hsm.SignDigest(submitted.Commit.Digest));
        var status = await commit.GetStatusAsync();

        Assert.True(status.Successful);
        Assert.Equal(proposal.TransactionId, status.TransactionId);
        Assert.Equal("signed elsewhere", Net.Network.StateOf(TestNetwork.Chaincode, key));
    }

    [Fact]
    public async Task An_unsigned_request_is_refused_before_it_is_sent()
    {
        var (gateway, _) = OfflineGateway();
        var proposal = Net.KvContract(gateway).NewProposal("Put", new ProposalOptions().AddArguments(Keys.New("unsigned"), "x"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => proposal.EndorseAsync());
    }

    [Fact]
    public async Task A_proposal_signed_with_the_wrong_key_is_refused_by_the_peer()
    {
        var (gateway, _) = OfflineGateway();
        var otherKey = Net.User(Net.Peer(1).MspId).Signer!;
        var unsigned = Net.KvContract(gateway).NewProposal("Put", new ProposalOptions().AddArguments(Keys.New("wrong-key"), "x"));
        var proposal = gateway.NewSignedProposal(unsigned.Bytes, otherKey.SignDigest(unsigned.Digest));

        var e = await Assert.ThrowsAsync<EndorseException>(() => proposal.EndorseAsync());

        Assert.Equal(proposal.TransactionId, e.TransactionId);
    }

    [Fact]
    public async Task Chaincode_events_request_signed_offline_streams_events()
    {
        var (gateway, hsm) = OfflineGateway();
        var status = await CommitPutOnlineAsync(Keys.New("offline-events"));

        var unsigned = gateway.GetNetwork(Net.ChannelName).NewChaincodeEventsRequest(TestNetwork.Chaincode, new EventsOptions { StartBlock = status.BlockNumber });
        var request = gateway.NewSignedChaincodeEventsRequest(unsigned.Bytes, hsm.SignDigest(unsigned.Digest));
        using var cancel = new CancellationTokenSource(Patience);
        await foreach (var e in request.GetEventsAsync(cancel.Token))
        {
            if (e.TransactionId != status.TransactionId) continue;
            Assert.Equal(status.BlockNumber, e.BlockNumber);
            return;
        }
        Assert.Fail("the stream ended without the transaction's event");
    }

    [Fact]
    public async Task Block_events_requests_signed_offline_stream_full_and_filtered_blocks()
    {
        var (gateway, hsm) = OfflineGateway();
        var status = await CommitPutOnlineAsync(Keys.New("offline-blocks"));
        var network = gateway.GetNetwork(Net.ChannelName);
        var from = new EventsOptions { StartBlock = status.BlockNumber };
        using var cancel = new CancellationTokenSource(Patience);

        var unsignedFull = network.NewBlockEventsRequest(from);
        var full = gateway.NewSignedBlockEventsRequest<Common.Block>(unsignedFull.Bytes, hsm.SignDigest(unsignedFull.Digest));
        await foreach (var block in full.GetBlocksAsync(cancel.Token))
        {
            Assert.Contains(BlockTransactions.Read(block), t => t.TransactionId == status.TransactionId);
            break;
        }

        var unsignedFiltered = network.NewFilteredBlockEventsRequest(from);
        var filtered = gateway.NewSignedBlockEventsRequest<FilteredBlock>(unsignedFiltered.Bytes, hsm.SignDigest(unsignedFiltered.Digest));
        await foreach (var block in filtered.GetBlocksAsync(cancel.Token))
        {
            Assert.Equal(status.BlockNumber, block.Number);
            Assert.Contains(block.FilteredTransactions, t => t.Txid == status.TransactionId);
            break;
        }
    }

    [Fact]
    public async Task Block_events_request_signed_with_the_wrong_key_is_forbidden()
    {
        var (gateway, _) = OfflineGateway();
        var otherKey = Net.User(Net.Peer(2).MspId).Signer!;
        var unsigned = gateway.GetNetwork(Net.ChannelName).NewFilteredBlockEventsRequest(new EventsOptions { StartBlock = 0 });
        var request = gateway.NewSignedBlockEventsRequest<FilteredBlock>(unsigned.Bytes, otherKey.SignDigest(unsigned.Digest));
        using var cancel = new CancellationTokenSource(Patience);

        var e = await Assert.ThrowsAsync<GatewayException>(async () =>
        {
            await foreach (var _ in request.GetBlocksAsync(cancel.Token)) { }
        });

        Assert.Equal(global::Grpc.Core.StatusCode.PermissionDenied, e.StatusCode);
    }

    private async Task<CommitStatus> CommitPutOnlineAsync(string key)
    {
        var submitted = await Net.KvContract(Net.Gateway()).SubmitAsync("Put", new ProposalOptions().AddArguments(key, "x"));
        var status = await submitted.GetStatusAsync();
        Assert.True(status.Successful);
        return status;
    }
}
