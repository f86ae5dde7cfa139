using System.Text;
using Fabric.Client.EmbeddedTests.Support;
using Fabric.Protocol.Ledger;
using Protos;

namespace Fabric.Client.EmbeddedTests;

/// <summary>Chaincode events (start block, after a transaction, checkpointers) and block events through Deliver.</summary>
[Collection(SharedNetworkCollection.Name)]
public sealed class EventsTests(SharedNetwork shared) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    private TestNetwork Net => shared.Net;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Chaincode_events_from_a_start_block_arrive_in_ledger_order_with_their_transactions()
    {
        var gateway = Net.Gateway();
        var prefix = Keys.New("events");
        var statuses = await SubmitPutsAsync(gateway, prefix, 3);

        var events = await ReadEventsAsync(gateway, prefix, 3, new EventsOptions { StartBlock = statuses[0].BlockNumber });

        Assert.Equal(statuses.Select(s => s.TransactionId), events.Select(e => e.TransactionId));
        Assert.Equal(statuses.Select(s => s.BlockNumber), events.Select(e => e.BlockNumber));
        Assert.All(events, e => Assert.Equal(("Put", TestNetwork.Chaincode), (e.EventName, e.ChaincodeName)));
        Assert.Equal($"{prefix}-0=v0", Encoding.UTF8.GetString(events[0].Payload));
    }

    [Fact]
    public async Task Chaincode_events_after_a_checkpointed_transaction_skip_it_and_everything_before()
    {
        var gateway = Net.Gateway();
        var prefix = Keys.New("after");
        var statuses = await SubmitPutsAsync(gateway, prefix, 3);
        var checkpointer = new InMemoryCheckpointer();
        await checkpointer.CheckpointTransactionAsync(statuses[0].BlockNumber, statuses[0].TransactionId);

        var events = await ReadEventsAsync(gateway, prefix, 2, new EventsOptions { StartBlock = 0, Checkpoint = checkpointer });

        Assert.Equal(statuses.Skip(1).Select(s => s.TransactionId), events.Select(e => e.TransactionId));
    }

    [Fact]
    public async Task File_checkpointer_resumes_after_a_crash_inside_a_block_without_gaps_or_duplicates()
    {
        var gateway = Net.Gateway();
        var contract = Net.KvContract(gateway);
        var prefix = Keys.New("crash");
        var first = await SubmitPutsAsync(gateway, prefix, 1);
        // Two transactions in one block: the crash comes between them.
        var pair = await Task.WhenAll(
            contract.NewProposal("Put", new ProposalOptions().AddArguments($"{prefix}-1", "v1")).EndorseAsync(),
            contract.NewProposal("Put", new ProposalOptions().AddArguments($"{prefix}-2", "v2")).EndorseAsync());
        var submitted = await Task.WhenAll(pair.Select(t => t.SubmitAsync()));
        var pairStatuses = await Task.WhenAll(submitted.Select(s => s.GetStatusAsync()));
        Assert.Equal(pairStatuses[0].BlockNumber, pairStatuses[1].BlockNumber);
        var pairIds = pairStatuses.Select(s => s.TransactionId).ToHashSet();
        var blockOrder = Net.Network.Transactions().Select(t => t.Transaction.TransactionId).Where(pairIds.Contains).ToList();
        var expected = new[] { first[0].TransactionId }.Concat(blockOrder).ToList();

        var path = Path.Combine(_temp.Path, "listener", "checkpoint.json");
        var processed = new List<string>();
        var beforeCrash = await FileCheckpointer.OpenAsync(path);
        await foreach (var e in ListenAsync(gateway, prefix, new EventsOptions { StartBlock = first[0].BlockNumber, Checkpoint = beforeCrash }))
        {
            processed.Add(e.TransactionId);
            await beforeCrash.CheckpointChaincodeEventAsync(e);
            if (processed.Count == 2) break;   // the process dies here: only the file survives
        }
        var later = await SubmitPutsAsync(gateway, prefix + "-later", 1);

        var afterCrash = await FileCheckpointer.OpenAsync(path);
        Assert.Equal(processed[^1], afterCrash.TransactionId);
        await foreach (var e in ListenAsync(gateway, prefix, new EventsOptions { StartBlock = 0, Checkpoint = afterCrash }))
        {
            processed.Add(e.TransactionId);
            await afterCrash.CheckpointChaincodeEventAsync(e);
            if (processed.Count == 4) break;
        }

        Assert.Equal(expected.Append(later[0].TransactionId), processed);
    }

    [Fact]
    public async Task In_memory_checkpointer_reconnects_where_the_last_stream_stopped()
    {
        var gateway = Net.Gateway();
        var prefix = Keys.New("reconnect");
        var statuses = await SubmitPutsAsync(gateway, prefix, 3);
        var checkpointer = new InMemoryCheckpointer();
        var options = new EventsOptions { StartBlock = statuses[0].BlockNumber, Checkpoint = checkpointer };
        var processed = new List<string>();

        for (var connection = 0; connection < 3; connection++)
        {
            await foreach (var e in ListenAsync(gateway, prefix, options))
            {
                processed.Add(e.TransactionId);
                await checkpointer.CheckpointChaincodeEventAsync(e);
                break;   // one event per connection
            }
        }

        Assert.Equal(statuses.Select(s => s.TransactionId), processed);
    }

    [Fact]
    public async Task Full_block_events_carry_the_committed_transactions()
    {
        var gateway = Net.Gateway();
        var status = (await SubmitPutsAsync(gateway, Keys.New("blocks"), 1))[0];
        using var cancel = new CancellationTokenSource(Patience);

        await foreach (var block in gateway.GetNetwork(Net.ChannelName).GetBlocksAsync(new EventsOptions { StartBlock = status.BlockNumber }, cancel.Token))
        {
            Assert.Equal(status.BlockNumber, block.Header.Number);
            var tx = Assert.Single(BlockTransactions.Read(block), t => t.TransactionId == status.TransactionId);
            Assert.Equal(TxValidationCode.Valid, tx.ValidationCode);
            Assert.Equal(Net.Network.Ledger.GetBlock(status.BlockNumber), block);
            break;
        }
    }

    [Fact]
    public async Task Filtered_block_events_carry_transaction_ids_validation_codes_and_event_names()
    {
        var gateway = Net.Gateway();
        var valid = (await SubmitPutsAsync(gateway, Keys.New("filtered"), 1))[0];
        var invalid = await Assert.ThrowsAsync<CommitException>(() => Net.KvContract(gateway).SubmitAndCommitAsync("Put",
            new ProposalOptions().AddArguments(Keys.New("filtered"), "x").WithEndorsingOrganizations(Net.Peer(2).MspId)));
        var checkpointer = new InMemoryCheckpointer();
        await checkpointer.CheckpointBlockAsync(valid.BlockNumber - 1);   // resume at the valid transaction's block
        var seen = new Dictionary<string, FilteredTransaction>();
        using var cancel = new CancellationTokenSource(Patience);

        await foreach (var block in gateway.GetNetwork(Net.ChannelName).GetFilteredBlocksAsync(new EventsOptions { Checkpoint = checkpointer }, cancel.Token))
        {
            Assert.Equal(checkpointer.BlockNumber!.Value, block.Number);
            foreach (var tx in block.FilteredTransactions) seen[tx.Txid] = tx;
            await checkpointer.CheckpointBlockAsync(block.Number);
            if (seen.ContainsKey(invalid.TransactionId)) break;
        }

        Assert.Equal(TxValidationCode.Valid, seen[valid.TransactionId].TxValidationCode);
        Assert.Equal("Put", Assert.Single(seen[valid.TransactionId].TransactionActions.ChaincodeActions).ChaincodeEvent.EventName);
        Assert.Equal(TxValidationCode.EndorsementPolicyFailure, seen[invalid.TransactionId].TxValidationCode);
    }

    /// <summary>Puts {prefix}-i = vi one after another (each committed before the next) and returns their statuses.</summary>
    private async Task<IReadOnlyList<CommitStatus>> SubmitPutsAsync(Gateway gateway, string prefix, int count)
    {
        var contract = Net.KvContract(gateway);
        var statuses = new List<CommitStatus>();
        for (var i = 0; i < count; i++)
        {
            var submitted = await contract.SubmitAsync("Put", new ProposalOptions().AddArguments($"{prefix}-{i}", $"v{i}"));
            var status = await submitted.GetStatusAsync();
            Assert.True(status.Successful);
            statuses.Add(status);
        }
        return statuses;
    }

    /// <summary>The chaincode's events whose key starts with the prefix (other tests share the network).</summary>
    private async IAsyncEnumerable<ChaincodeEvent> ListenAsync(Gateway gateway, string prefix, EventsOptions options)
    {
        using var cancel = new CancellationTokenSource(Patience);
        await foreach (var e in gateway.GetNetwork(Net.ChannelName).GetChaincodeEventsAsync(TestNetwork.Chaincode, options, cancel.Token))
        {
            if (Encoding.UTF8.GetString(e.Payload).StartsWith(prefix, StringComparison.Ordinal)) yield return e;
        }
    }

    private async Task<List<ChaincodeEvent>> ReadEventsAsync(Gateway gateway, string prefix, int count, EventsOptions options)
    {
        var events = new List<ChaincodeEvent>();
        await foreach (var e in ListenAsync(gateway, prefix, options))
        {
            events.Add(e);
            if (events.Count == count) break;
        }
        return events;
    }
}
