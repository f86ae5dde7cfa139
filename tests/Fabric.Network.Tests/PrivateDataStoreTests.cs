using Fabric.Network.PrivateData;
using Fabric.Network.Tests.Support;
using Google.Protobuf;

namespace Fabric.Network.Tests;

public class PrivateDataStoreTests
{
    private static StoredPrivateWrites Writes(ulong block, string value) =>
        new(block, 0, "cc", "shared", ByteString.CopyFromUtf8(value));

    // An organisation's private data file in dir holding these records, closed again.
    private static string FileWith(TempDirectory dir, params StoredPrivateWrites[] records)
    {
        var path = Path.Combine(dir.Path, "WFPMSP.dat");
        using var store = PrivateDataStore.Open(path, blockHeight: 0);
        store.Append(records);
        return path;
    }

    [Fact]
    public void A_torn_tail_is_dropped_on_open_and_appending_continues()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "private", "WFPMSP.dat");
        using (var store = PrivateDataStore.Open(path, blockHeight: 0)) store.Append([Writes(1, "first")]);
        long goodLength = new FileInfo(path).Length;
        using (var store = PrivateDataStore.Open(path, blockHeight: 2)) store.Append([Writes(2, "second")]);
        // A crash in the middle of the second append: only part of its record reached the disk.
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(f.Length - 5);

        using (var reopened = PrivateDataStore.Open(path, blockHeight: 10))
        {
            Assert.Equal("first", reopened.Recovered(1, 0, "cc", "shared")?.ToStringUtf8());
            Assert.Null(reopened.Recovered(2, 0, "cc", "shared"));
            Assert.Equal(1, reopened.RecoveredCount);
            Assert.True(reopened.TruncatedBytes > 0);
            Assert.Equal(goodLength, new FileInfo(path).Length);
            reopened.Append([Writes(3, "third")]);
        }
        using var again = PrivateDataStore.Open(path, blockHeight: 10);
        Assert.Equal("first", again.Recovered(1, 0, "cc", "shared")?.ToStringUtf8());
        Assert.Equal("third", again.Recovered(3, 0, "cc", "shared")?.ToStringUtf8());
        Assert.Equal(0, again.TruncatedBytes);
    }

    [Fact]
    public void A_blocks_records_are_read_back_as_appended_after_a_reopen_and_after_compaction()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "WFPMSP.dat");
        using (var store = PrivateDataStore.Open(path, blockHeight: 0))
        {
            store.Append([Writes(1, "one"), new StoredPrivateWrites(1, 3, "cc", "other", ByteString.CopyFromUtf8("one-b"))]);
            store.Append([Writes(2, "two")]);
            Assert.Equal(["one", "one-b"], store.ReadBlock(1).Select(r => r.Rwset.ToStringUtf8()));
            Assert.Equal((1ul, 3ul, "other"), (store.ReadBlock(1)[1].BlockNum, store.ReadBlock(1)[1].TxNum, store.ReadBlock(1)[1].Collection));
            Assert.Empty(store.ReadBlock(7));
        }
        using (var reopened = PrivateDataStore.Open(path, blockHeight: 10))
        {
            Assert.Equal(["two"], reopened.ReadBlock(2).Select(r => r.Rwset.ToStringUtf8()));
            // Compaction keeps block 2 only: the index moves with the rewritten file.
            Assert.Equal(2, reopened.ReplayDone(r => r.BlockNum == 2 ? r : null));
            Assert.Empty(reopened.ReadBlock(1));
            Assert.Equal(["two"], reopened.ReadBlock(2).Select(r => r.Rwset.ToStringUtf8()));
            reopened.Append([Writes(3, "three")]);
            Assert.Equal(["three"], reopened.ReadBlock(3).Select(r => r.Rwset.ToStringUtf8()));
        }
    }

    [Fact]
    public void A_corrupt_record_and_everything_after_it_are_dropped()
    {
        using var dir = new TempDirectory();
        var path = FileWith(dir, Writes(1, "first"), Writes(2, "second"));
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF; // the last byte of the second record's value
        File.WriteAllBytes(path, bytes);

        using var reopened = PrivateDataStore.Open(path, blockHeight: 10);
        Assert.Equal("first", reopened.Recovered(1, 0, "cc", "shared")?.ToStringUtf8());
        Assert.Null(reopened.Recovered(2, 0, "cc", "shared"));
    }

    [Fact]
    public void Records_of_blocks_the_block_store_does_not_hold_are_dropped()
    {
        using var dir = new TempDirectory();
        var path = FileWith(dir, Writes(1, "committed"), Writes(2, "block never appended"));

        using (var reopened = PrivateDataStore.Open(path, blockHeight: 2))
        {
            Assert.Equal("committed", reopened.Recovered(1, 0, "cc", "shared")?.ToStringUtf8());
            Assert.Null(reopened.Recovered(2, 0, "cc", "shared"));
            Assert.True(reopened.TruncatedBytes > 0);
        }
        // Cut, not skipped: a different block 2 committed later must not pick up the lost one's data.
        using var later = PrivateDataStore.Open(path, blockHeight: 5);
        Assert.Null(later.Recovered(2, 0, "cc", "shared"));
    }

    [Fact]
    public void A_record_retained_with_fewer_writes_is_rewritten_and_the_others_stay_as_they_were()
    {
        using var dir = new TempDirectory();
        var path = FileWith(dir, Writes(1, "purged key and kept key"), Writes(2, "untouched"));

        using (var reopened = PrivateDataStore.Open(path, blockHeight: 3))
            Assert.Equal(1, reopened.ReplayDone(r => r.BlockNum == 1 ? r with { Rwset = ByteString.CopyFromUtf8("kept key") } : r));

        Assert.Equal(-1, File.ReadAllBytes(path).AsSpan().IndexOf("purged key"u8));
        using var again = PrivateDataStore.Open(path, blockHeight: 3);
        Assert.Equal("kept key", again.Recovered(1, 0, "cc", "shared")?.ToStringUtf8());
        Assert.Equal("untouched", again.Recovered(2, 0, "cc", "shared")?.ToStringUtf8());
        Assert.Equal(0, again.ReplayDone(r => r)); // nothing changed: the file is not rewritten
    }

    [Fact]
    public void Records_no_longer_live_after_replay_are_removed_from_the_file()
    {
        using var dir = new TempDirectory();
        var path = FileWith(dir, Writes(1, "purged value"), Writes(2, "live value"));

        using (var reopened = PrivateDataStore.Open(path, blockHeight: 3))
        {
            Assert.Equal(1, reopened.ReplayDone(r => r.BlockNum == 2 ? r : null));
            reopened.Append([Writes(3, "appended after compaction")]);
        }
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("purged value"u8));
        Assert.False(File.Exists(path + ".compacting"));
        using var again = PrivateDataStore.Open(path, blockHeight: 4);
        Assert.Null(again.Recovered(1, 0, "cc", "shared"));
        Assert.Equal("live value", again.Recovered(2, 0, "cc", "shared")?.ToStringUtf8());
        Assert.Equal("appended after compaction", again.Recovered(3, 0, "cc", "shared")?.ToStringUtf8());
        Assert.Equal(0, again.TruncatedBytes);
    }
}
