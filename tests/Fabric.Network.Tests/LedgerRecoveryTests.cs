using Fabric.Network.Ledger;
using Fabric.Network.Tests.Support;
using Google.Protobuf;
using Kvrwset;
using Protos;
using static Fabric.Network.Tests.Support.TestTransactions;

namespace Fabric.Network.Tests;

public class LedgerRecoveryTests
{
    private static TestChannel Channel => TestChannel.Instance;

    [Fact]
    public void State_history_and_tx_index_are_rebuilt_from_the_blocks()
    {
        using var dir = new TempDirectory();
        string deletedTx;
        using (var t = new TestLedger(Channel, dir.Path))
        {
            t.CommitBlock(Endorsed(Channel, Write("asset", "v1"), Channel.Wfp, Channel.Unhcr).Envelope);
            t.CommitBlock(Endorsed(Channel, Write("asset", "v2"), Channel.Wfp, Channel.Unhcr).Envelope);
            var del = new KVRWSet();
            del.Writes.Add(new KVWrite { Key = "asset", IsDelete = true });
            var (env, txId) = Endorsed(Channel, del, Channel.Wfp, Channel.Unhcr);
            deletedTx = txId;
            var stale = Endorsed(Channel, Write("asset", "lost", new Ledger.Version(1, 0), read: true), Channel.Wfp, Channel.Unhcr).Envelope;
            t.CommitBlock(env, stale, Endorsed(Channel, Write("other", "x"), Channel.Wfp, Channel.Unhcr).Envelope);
        }

        using var reopened = new TestLedger(Channel, dir.Path);
        var ledger = reopened.Ledger;
        Assert.Equal(4ul, ledger.Height);
        Assert.Null(ledger.State.Get("kv", "asset"));
        Assert.Equal(new Ledger.Version(3, 2), ledger.State.Get("kv", "other")!.Version);
        var history = ledger.History.For("kv", "asset");
        Assert.Equal(3, history.Count);
        Assert.True(history[0].IsDelete);
        Assert.Equal(deletedTx, history[0].TxId);
        Assert.Equal("v2", history[1].Value.ToStringUtf8());
        Assert.Equal("v1", history[2].Value.ToStringUtf8());
        Assert.Equal(new CommittedTransaction(3, 0, TxValidationCode.Valid), ledger.FindTransaction(deletedTx));

        // Commits continue from the rebuilt ledger: chain and duplicate detection still hold.
        var (next, _) = reopened.CommitBlock(Endorsed(Channel, Write("asset", "v3"), Channel.Wfp, Channel.Unhcr).Envelope);
        Assert.Equal(4ul, next.Header.Number);
        Assert.True(Fabric.Network.Blocks.BlockSigner.VerifyAll(ledger.GetBlock(4)));
    }

    [Fact]
    public void A_crash_during_an_append_loses_only_the_unreported_block()
    {
        using var dir = new TempDirectory();
        using (var t = new TestLedger(Channel, dir.Path))
        {
            t.CommitBlock(Endorsed(Channel, Write("a", "1"), Channel.Wfp, Channel.Unhcr).Envelope);
        }
        var file = Path.Combine(dir.Path, "blocks.dat");
        var full = File.ReadAllBytes(file);
        // Simulate a torn write of a further block: half a copy of the last record.
        File.WriteAllBytes(file, [.. full, .. full.AsSpan(full.Length / 2)]);

        using var reopened = new TestLedger(Channel, dir.Path);
        Assert.Equal(2ul, reopened.Ledger.Height);
        Assert.True(reopened.Ledger.RecoveredTornBytes > 0);
        Assert.Equal("1", reopened.Ledger.State.Get("kv", "a")!.Value.ToStringUtf8());
    }

    [Fact]
    public void Reset_removes_the_ledger()
    {
        using var dir = new TempDirectory();
        using (var t = new TestLedger(Channel, dir.Path)) t.CommitBlock(Endorsed(Channel, Write("a", "1"), Channel.Wfp, Channel.Unhcr).Envelope);
        PeerLedger.Reset(dir.Path);
        using var ledger = PeerLedger.Open(dir.Path);
        Assert.Equal(0ul, ledger.Height);
        Assert.Null(ledger.State.Get("kv", "a"));
    }

    [Fact]
    public async Task Waiting_for_a_transaction_completes_when_its_block_commits()
    {
        using var t = new TestLedger(Channel);
        var (env, txId) = Endorsed(Channel, Write("w", "1"), Channel.Wfp, Channel.Unhcr);
        var wait = t.Ledger.WaitForTransactionAsync(txId, CancellationToken.None);
        var height = t.Ledger.WaitForHeightAsync(2, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        t.CommitBlock(env);
        Assert.Equal(new CommittedTransaction(1, 0, TxValidationCode.Valid), await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        await height.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Waits_that_give_up_on_a_transaction_that_never_commits_are_forgotten()
    {
        using var t = new TestLedger(Channel);
        for (var i = 0; i < 200; i++)
        {
            using var giveUp = new CancellationTokenSource();
            var wait = t.Ledger.WaitForTransactionAsync($"never-{i % 20}", giveUp.Token);
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        }
        Assert.Equal(0, t.Ledger.PendingWaits);
    }

    [Fact]
    public async Task One_caller_giving_up_leaves_another_caller_of_the_same_transaction_waiting_for_its_commit()
    {
        using var t = new TestLedger(Channel);
        var (env, txId) = Endorsed(Channel, Write("w", "1"), Channel.Wfp, Channel.Unhcr);
        using var giveUp = new CancellationTokenSource();
        var impatient = t.Ledger.WaitForTransactionAsync(txId, giveUp.Token);
        var patient = t.Ledger.WaitForTransactionAsync(txId, CancellationToken.None);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        Assert.Equal(1, t.Ledger.PendingWaits);

        t.CommitBlock(env);
        Assert.Equal(new CommittedTransaction(1, 0, TxValidationCode.Valid), await patient.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, t.Ledger.PendingWaits);
    }
}
