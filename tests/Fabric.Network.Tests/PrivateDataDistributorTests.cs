using Fabric.Network.PrivateData;
using Google.Protobuf;
using Rwset;

namespace Fabric.Network.Tests;

/// <summary>The in-process dissemination of private data that replaces gossip on the embedded network.</summary>
public sealed class PrivateDataDistributorTests
{
    private static readonly string[] Peers = ["A", "B", "C"];

    private static PrivateDataDistributor Distributor(int requiredPeerCount = 0, int maxPeerCount = 2) => new(
        new ChannelCollections([new PrivateCollection("cc", "ab", new HashSet<string> { "A", "B" }, requiredPeerCount, maxPeerCount, 0, true, true, null)]),
        Peers);

    private static TxPvtReadWriteSet Private(string collection)
    {
        var ns = new NsPvtReadWriteSet { Namespace = "cc" };
        ns.CollectionPvtRwset.Add(new CollectionPvtReadWriteSet { CollectionName = collection, Rwset = ByteString.CopyFromUtf8("writes") });
        var set = new TxPvtReadWriteSet();
        set.NsPvtRwset.Add(ns);
        return set;
    }

    [Fact]
    public void Only_member_organisations_receive_a_collections_data()
    {
        var distributor = Distributor();
        distributor.Distribute("C", "ch", "tx1", Private("ab"), ledgerHeight: 1);

        Assert.Empty(distributor.Held("C", "tx1")); // the endorser is not a member: it keeps nothing
        Assert.Equal([("cc", "ab")], distributor.Held("A", "tx1"));
        Assert.Equal([("cc", "ab")], distributor.Held("B", "tx1"));
    }

    [Fact]
    public void Max_peer_count_limits_the_push_and_a_member_fetches_the_rest()
    {
        var distributor = Distributor(maxPeerCount: 0);
        distributor.Distribute("A", "ch", "tx1", Private("ab"), ledgerHeight: 1);

        Assert.Empty(distributor.Held("B", "tx1"));
        Assert.Equal("writes", distributor.Find("B", "tx1", "cc", "ab")!.Rwset.ToStringUtf8());
    }

    [Fact]
    public void Required_peer_count_above_the_other_members_fails_the_dissemination()
    {
        var distributor = Distributor(requiredPeerCount: 2);
        var e = Assert.Throws<InvalidOperationException>(() => distributor.Distribute("A", "ch", "tx1", Private("ab"), ledgerHeight: 1));
        Assert.Contains("required to disseminate to at least 2 peers, but know of only 1 eligible peers", e.Message);
    }

    [Fact]
    public void An_undefined_collection_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Distributor().Distribute("A", "ch", "tx1", Private("nope"), ledgerHeight: 1));
        Assert.Contains("collection [nope] not defined", e.Message);
    }

    [Fact]
    public void Data_of_transactions_never_committed_is_dropped_after_the_retention_window()
    {
        var distributor = Distributor();
        distributor.Distribute("A", "ch", "tx1", Private("ab"), ledgerHeight: 5);

        distributor.PurgeStale(5 + PrivateDataDistributor.MaxBlockRetention);
        Assert.NotEmpty(distributor.Held("A", "tx1"));
        distributor.PurgeStale(6 + PrivateDataDistributor.MaxBlockRetention);
        Assert.Empty(distributor.Held("A", "tx1"));
        Assert.Null(distributor.Find("B", "tx1", "cc", "ab"));
    }
}
