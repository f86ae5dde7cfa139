using Fabric.Network.Ledger;
using Google.Protobuf;
using Version = Fabric.Network.Ledger.Version;

namespace Fabric.Network.Tests;

public sealed class HistoryIndexTests
{
    private static HistoryEntry Entry(string txId, ulong block, bool delete = false) =>
        new(txId, delete ? ByteString.Empty : ByteString.CopyFromUtf8("v-" + txId), delete, new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = (long)block }, new Version(block, 0));

    [Fact]
    public void A_key_written_once_then_again_and_deleted_lists_its_versions_newest_first()
    {
        var history = new HistoryIndex();
        Assert.Empty(history.For("cc", "k"));
        history.Add("cc", "k", Entry("t1", 1));
        Assert.Equal(["t1"], history.For("cc", "k").Select(e => e.TxId));
        history.Add("cc", "k", Entry("t2", 2));
        history.Add("cc", "k", Entry("t3", 3, delete: true));
        Assert.Equal(["t3", "t2", "t1"], history.For("cc", "k").Select(e => e.TxId));
        Assert.Equal([true, false, false], history.For("cc", "k").Select(e => e.IsDelete));
    }

    [Fact]
    public void Keys_and_namespaces_are_kept_apart_and_an_answer_is_a_copy()
    {
        var history = new HistoryIndex();
        history.Add("cc", "a", Entry("t1", 1));
        history.Add("other", "a", Entry("t2", 2));
        var before = history.For("cc", "a");
        history.Add("cc", "a", Entry("t3", 3));
        Assert.Equal(["t1"], before.Select(e => e.TxId)); // taken before the second write: unchanged by it
        Assert.Equal(["t3", "t1"], history.For("cc", "a").Select(e => e.TxId));
        Assert.Equal(["t2"], history.For("other", "a").Select(e => e.TxId));
        history.Clear();
        Assert.Empty(history.For("cc", "a"));
    }
}
