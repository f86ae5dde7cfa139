using Fabric.Network.Blocks;
using Fabric.Network.Ledger;
using Fabric.Network.Tests.Support;
using Google.Protobuf;

namespace Fabric.Network.Tests;

public class BlockStoreTests
{
    private static Common.Block Block(ulong n, byte[] previous, string content) =>
        BlockFactory.Create(n, previous, [ByteString.CopyFromUtf8(content)]);

    private static void AppendChain(BlockStore store, int count)
    {
        byte[] previous = [];
        for (int i = 0; i < count; i++)
        {
            var b = Block((ulong)i, previous, "tx" + i);
            store.Append(b);
            previous = BlockHashing.HeaderHash(b.Header);
        }
    }

    [Fact]
    public void Blocks_survive_reopening_unchanged()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "blocks.dat");
        using (var store = BlockStore.Open(path)) AppendChain(store, 3);
        using var reopened = BlockStore.Open(path);
        Assert.Equal(3ul, reopened.Height);
        Assert.Equal("tx2", reopened.Read(2).Data.Data[0].ToStringUtf8());
        Assert.Equal(0, reopened.TruncatedBytes);
    }

    [Fact]
    public void A_torn_tail_is_cut_off_and_appending_continues()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "blocks.dat");
        using (var store = BlockStore.Open(path)) AppendChain(store, 3);
        long goodLength = new FileInfo(path).Length;
        // A crash in the middle of the next append: a length prefix and part of the record.
        using (var f = new FileStream(path, FileMode.Append)) f.Write([200, 0, 0, 0, 1, 2, 3, 4, 5, 6]);

        using var reopened = BlockStore.Open(path);
        Assert.Equal(3ul, reopened.Height);
        Assert.Equal(10, reopened.TruncatedBytes);
        Assert.Equal(goodLength, new FileInfo(path).Length);
        reopened.Append(Block(3, BlockHashing.HeaderHash(reopened.Read(2).Header), "tx3"));
        Assert.Equal("tx3", reopened.Read(3).Data.Data[0].ToStringUtf8());
    }

    [Fact]
    public void A_corrupt_last_record_is_dropped_and_earlier_blocks_are_kept()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "blocks.dat");
        using (var store = BlockStore.Open(path)) AppendChain(store, 3);
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0xFF; // flip bits inside block 2
        File.WriteAllBytes(path, bytes);
        using var reopened = BlockStore.Open(path);
        Assert.Equal(2ul, reopened.Height);
        Assert.Equal("tx1", reopened.Read(1).Data.Data[0].ToStringUtf8());
    }

    [Fact]
    public void Blocks_must_be_appended_in_order()
    {
        using var dir = new TempDirectory();
        using var store = BlockStore.Open(Path.Combine(dir.Path, "blocks.dat"));
        Assert.Throws<InvalidOperationException>(() => store.Append(Block(1, [], "x")));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Read(0));
    }
}
