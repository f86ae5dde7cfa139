using Fabric.Network.Endorsing;
using Fabric.Network.Ledger;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Tests;

/// <summary>
/// Fabric allows paginated queries only in read-only transactions: no paginated query after a write, no write after a
/// paginated query, each refused with the peer's own words (its spelling included).
/// </summary>
public class PaginatedQueryRuleTests
{
    private static TxSimulator Simulator() => new(new WorldState(), new HistoryIndex(), "kvcc") { TxId = "tx1" };

    private static QueryMetadata Page(int size) => new() { PageSize = size };

    [Fact]
    public void A_paginated_query_after_a_write_is_refused()
    {
        var simulator = Simulator();
        simulator.PutState("a", ByteString.CopyFromUtf8("1"));

        var error = Assert.Throws<InvalidOperationException>(() => simulator.StartRange("", "", Page(10)));

        Assert.Equal("txid [tx1]: unsuppored transaction. Paginated queries are supported only in a read-only transaction", error.Message);
    }

    [Fact]
    public void A_write_after_a_paginated_query_is_refused()
    {
        var simulator = Simulator();
        simulator.StartRange("", "", Page(10));

        var error = Assert.Throws<InvalidOperationException>(() => simulator.PutState("a", ByteString.CopyFromUtf8("1")));

        Assert.Equal("txid [tx1]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed", error.Message);
    }

    [Fact]
    public void An_unpaginated_range_query_leaves_the_transaction_free_to_write()
    {
        var simulator = Simulator();
        simulator.StartRange("", "", null);

        simulator.PutState("a", ByteString.CopyFromUtf8("1"));

        Assert.Single(simulator.BuildReadWriteSet().NsRwset);
    }
}
