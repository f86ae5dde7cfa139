using Common;
using Fabric.Network.Ledger;
using Fabric.Network.Tests.Support;
using Google.Protobuf;
using static Fabric.Network.Tests.Support.TestTransactions;

namespace Fabric.Network.Tests;

/// <summary>Blocks read right after their commit come from memory: the same bytes as the block file, and a copy.</summary>
public class RecentBlocksTests
{
    private static TestChannel Channel => TestChannel.Instance;

    [Fact]
    public void Every_block_reads_as_the_block_file_holds_it_whether_kept_in_memory_or_not()
    {
        using var dir = new TempDirectory();
        var blocks = RecentBlocks.DefaultCapacity + 4;
        var read = new List<byte[]>();
        using (var t = new TestLedger(Channel, dir.Path))
        {
            for (var i = 0; i < blocks; i++)
                t.CommitBlock(Endorsed(Channel, Write($"key-{i}", "v"), Channel.Wfp, Channel.Unhcr).Envelope);
            // The newest come from memory, the oldest (past the kept number) from the file.
            read.AddRange(Enumerable.Range(0, (int)t.Ledger.Height).Select(n => t.Ledger.GetBlock((ulong)n).ToByteArray()));
        }

        using var reopened = PeerLedger.Open(dir.Path); // nothing in memory: every block from the file
        Assert.Equal(blocks + 1, read.Count);
        for (var n = 0; n < read.Count; n++)
            Assert.Equal(Convert.ToHexString(reopened.GetBlock((ulong)n).ToByteArray()), Convert.ToHexString(read[n]));
        // The committed block as the committer finished it: its transactions filter and commit hash are there.
        var last = Block.Parser.ParseFrom(read[^1]);
        Assert.False(last.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter].IsEmpty);
        Assert.False(last.Metadata.Metadata[(int)BlockMetadataIndex.CommitHash].IsEmpty);
    }

    [Fact]
    public void A_caller_that_changes_the_block_it_read_changes_nothing_another_reads()
    {
        using var t = new TestLedger(Channel);
        t.CommitBlock(Endorsed(Channel, Write("k", "v"), Channel.Wfp, Channel.Unhcr).Envelope);
        var number = t.Ledger.Height - 1;

        var first = t.Ledger.GetBlock(number);
        var original = first.ToByteArray();
        first.Data.Data.Clear();
        first.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter] = ByteString.CopyFrom(0xFF);

        Assert.Equal(Convert.ToHexString(original), Convert.ToHexString(t.Ledger.GetBlock(number).ToByteArray()));
    }
}
