using System.Security.Cryptography;
using System.Text;
using CashTransfer.Chaincode.Ledger;
using Fabric.Shim.Testing;

namespace CashTransfer.Chaincode.Tests.Stub;

/// <summary>The in-memory stub keeps Fabric's semantics; contract tests are only as good as this.</summary>
public class InMemoryStubTests
{
    private readonly InMemoryWorldState _world = new();
    private readonly TestIdentity _user = TestIdentity.Create("Org1MSP", "user1", new Dictionary<string, string> { ["cashtransfer.role"] = "operator" });

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(byte[] b) => Encoding.UTF8.GetString(b);

    private void Put(params (string Key, string Value)[] pairs)
    {
        var tx = _world.NewTransaction(_user);
        foreach (var (k, v) in pairs) tx.PutStateAsync(k, B(v)).Wait();
        Assert.True(_world.Commit(tx).IsValid);
    }

    [Fact]
    public async Task A_transaction_does_not_read_its_own_writes()
    {
        Put(("k", "old"));
        var tx = _world.NewTransaction(_user);
        await tx.PutStateAsync("k", B("new"));
        await tx.PutStateAsync("fresh", B("x"));
        Assert.Equal("old", S(await tx.GetStateAsync("k")));
        Assert.Empty(await tx.GetStateAsync("fresh"));
        Assert.True(_world.Commit(tx).IsValid);
        Assert.Equal("new", S(_world.GetState("k")));
    }

    [Fact]
    public async Task Writing_an_empty_value_deletes_the_key()
    {
        Put(("k", "v"));
        var tx = _world.NewTransaction(_user);
        await tx.PutStateAsync("k", []);
        _world.Commit(tx);
        Assert.Empty(_world.GetState("k"));
        Assert.DoesNotContain("k", _world.Keys);
    }

    [Fact]
    public async Task Range_results_come_in_code_point_order_and_exclude_composite_keys()
    {
        // U+FFFD sorts before U+1F600 by code point (UTF-8 bytes), although not by UTF-16 ordinal comparison.
        Put(("b", "2"), ("a", "1"), ("c\U0001F600", "4"), ("c\uFFFD", "3"));
        var tx = _world.NewTransaction(_user);
        await tx.PutStateAsync(tx.CreateCompositeKey("T", ["x"]), B("composite"));
        _world.Commit(tx);

        var read = _world.NewTransaction(_user);
        var keys = await read.GetStateByRangeAsync("", "").Select(kv => kv.Key).ToListAsync();
        Assert.Equal(["a", "b", "c\uFFFD", "c\U0001F600"], keys);
        Assert.Equal(["b"], await read.GetStateByRangeAsync("b", "c").Select(kv => kv.Key).ToListAsync());
        await Assert.ThrowsAsync<ArgumentException>(async () => await read.GetStateByRangeAsync("\0T", "").ToListAsync());
    }

    [Fact]
    public async Task Partial_composite_key_queries_match_the_prefix_only()
    {
        var tx = _world.NewTransaction(_user);
        foreach (var (color, name) in new[] { ("blue", "car2"), ("blue", "car1"), ("red", "car3"), ("bluegreen", "car4") })
            await tx.PutStateAsync(tx.CreateCompositeKey("color~name", [color, name]), B(name));
        _world.Commit(tx);

        var read = _world.NewTransaction(_user);
        var blue = await read.GetStateByPartialCompositeKeyAsync("color~name", ["blue"]).ToListAsync();
        Assert.Equal(["car1", "car2"], blue.Select(kv => read.SplitCompositeKey(kv.Key).Attributes[1]));
        Assert.Equal("\0color~name\0blue\0car1\0", blue[0].Key);
        Assert.Throws<ArgumentException>(() => read.CreateCompositeKey("T", ["a\0b"]));
    }

    [Fact]
    public async Task Pagination_returns_fetched_counts_and_the_next_key_as_bookmark()
    {
        Put(("range:a", "1"), ("range:b", "2"), ("range:c", "3"), ("range:d", "4"), ("range:e", "5"));
        var tx = _world.NewTransaction(_user);
        var first = await tx.GetStateByRangeWithPaginationAsync("range:a", "range:z", 2, "");
        Assert.Equal(["range:a", "range:b"], first.Results.Select(r => r.Key));
        Assert.Equal((2, "range:c"), (first.FetchedRecordsCount, first.Bookmark));
        var second = await tx.GetStateByRangeWithPaginationAsync("range:a", "range:z", 2, first.Bookmark);
        Assert.Equal(["range:c", "range:d"], second.Results.Select(r => r.Key));
        var last = await tx.GetStateByRangeWithPaginationAsync("range:a", "range:z", 2, second.Bookmark);
        Assert.Equal((1, ""), (last.FetchedRecordsCount, last.Bookmark));
    }

    [Fact]
    public async Task Partial_composite_key_pagination_walks_all_matches()
    {
        var tx = _world.NewTransaction(_user);
        for (int i = 0; i < 7; i++) await tx.PutStateAsync(tx.CreateCompositeKey("K", ["p", i.ToString()]), B(i.ToString()));
        await tx.PutStateAsync(tx.CreateCompositeKey("K", ["q", "0"]), B("other"));
        _world.Commit(tx);
        var read = _world.NewTransaction(_user);
        var seen = new List<string>();
        string bookmark = "";
        int pages = 0;
        do
        {
            var page = await read.GetStateByPartialCompositeKeyWithPaginationAsync("K", ["p"], 3, bookmark);
            seen.AddRange(page.Results.Select(r => S(r.Value)));
            bookmark = page.Bookmark;
            pages++;
        } while (bookmark != "");
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => i.ToString()), seen);
    }

    [Fact]
    public async Task Paginated_queries_are_refused_in_a_transaction_that_writes()
    {
        var writer = _world.NewTransaction(_user);
        await writer.PutStateAsync("k", B("v"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.GetStateByRangeWithPaginationAsync("a", "z", 1, ""));
        var reader = _world.NewTransaction(_user);
        await reader.GetStateByRangeWithPaginationAsync("a", "z", 1, "");
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.PutStateAsync("k", B("v")));
    }

    [Fact]
    public async Task Private_data_queries_are_refused_in_a_transaction_that_writes_and_block_its_later_writes()
    {
        var writer = _world.NewTransaction(_user);
        await writer.PutStateAsync("k", B("v"));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.GetPrivateDataByRangeAsync("coll", "a", "z").ToListAsync());
        Assert.Equal($"txid [{writer.TxId}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction", refused.Message);

        var reader = _world.NewTransaction(_user);
        await reader.GetPrivateDataByPartialCompositeKeyAsync("coll", "asset", []).ToListAsync();
        var blocked = await Assert.ThrowsAsync<InvalidOperationException>(() => reader.PutPrivateDataAsync("coll", "p", B("v")));
        Assert.Equal($"txid [{reader.TxId}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed", blocked.Message);
        await reader.GetStateAsync("k"); // reads stay allowed
    }

    [Fact]
    public async Task Concurrent_read_modify_writes_of_one_key_end_with_one_valid_and_one_MVCC_conflict()
    {
        Put(("balance", "100"));
        var first = _world.NewTransaction(_user);
        var second = _world.NewTransaction(_user);
        foreach (var (tx, spend) in new[] { (first, 30), (second, 50) })
            await tx.PutStateAsync("balance", B((int.Parse(S(await tx.GetStateAsync("balance"))) - spend).ToString()));
        Assert.Equal(ValidationCode.Valid, _world.Commit(first).Code);
        var conflict = _world.Commit(second);
        Assert.Equal(ValidationCode.MvccReadConflict, conflict.Code);
        Assert.Equal("70", S(_world.GetState("balance")));
    }

    [Fact]
    public async Task A_key_inserted_into_a_scanned_range_is_a_phantom_read()
    {
        Put(("r:1", "a"));
        var scanner = _world.NewTransaction(_user);
        Assert.Single(await scanner.GetStateByRangeAsync("r:", "r:~").ToListAsync());
        await scanner.PutStateAsync("summary", B("1"));
        Put(("r:2", "b"));
        Assert.Equal(ValidationCode.PhantomReadConflict, _world.Commit(scanner).Code);
        Assert.Empty(_world.GetState("summary"));
    }

    [Fact]
    public async Task History_lists_versions_newest_first_with_deletes_and_timestamps()
    {
        _world.Clock = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        Put(("h", "v1"));
        _world.Clock = _world.Clock.AddHours(1);
        Put(("h", "v2"));
        var del = _world.NewTransaction(_user, new TransactionOptions { Timestamp = _world.Clock.AddHours(1) });
        await del.DeleteStateAsync("h");
        _world.Commit(del);
        var history = await _world.NewTransaction(_user).GetHistoryForKeyAsync("h").ToListAsync();
        Assert.Equal([true, false, false], history.Select(h => h.IsDelete));
        Assert.Equal(["", "v2", "v1"], history.Select(h => S(h.Value)));
        Assert.Equal(del.TxId, history[0].TxId);
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 2, 0, 0, TimeSpan.Zero), history[0].Timestamp);
    }

    [Fact]
    public async Task One_event_per_transaction_the_last_wins_and_only_valid_transactions_publish()
    {
        var tx = _world.NewTransaction(_user);
        tx.SetEvent("First", B("1"));
        tx.SetEvent("Second", B("2"));
        var result = _world.Commit(tx);
        Assert.Equal("Second", result.Event!.EventName);

        Put(("k", "1"));
        var stale = _world.NewTransaction(_user);
        await stale.GetStateAsync("k");
        await stale.PutStateAsync("k", B("2"));
        stale.SetEvent("Lost", []);
        Put(("k", "3"));
        Assert.False(_world.Commit(stale).IsValid);
        Assert.Equal(["Second"], _world.Events.Select(e => e.EventName));
    }

    [Fact]
    public async Task Private_data_is_not_read_back_in_its_transaction_and_its_hash_is_SHA256()
    {
        var tx = _world.NewTransaction(_user);
        await tx.PutPrivateDataAsync("coll", "p", B("secret"));
        Assert.Empty(await tx.GetPrivateDataAsync("coll", "p"));
        _world.Commit(tx);
        var read = _world.NewTransaction(_user);
        Assert.Equal("secret", S(await read.GetPrivateDataAsync("coll", "p")));
        Assert.Equal(SHA256.HashData(B("secret")), await read.GetPrivateDataHashAsync("coll", "p"));
        Assert.Empty(await read.GetPrivateDataAsync("other", "p"));
    }

    [Fact]
    public async Task Key_level_endorsement_needs_the_owner_peer()
    {
        var create = _world.NewTransaction(_user);
        await create.PutStateAsync("owned", B("1"));
        await create.SetStateValidationParameterAsync("owned", Endorsement.ByPeerOf("Org1MSP"));
        _world.Commit(create);
        Assert.Equal(Endorsement.ByPeerOf("Org1MSP"), await _world.NewTransaction(_user).GetStateValidationParameterAsync("owned"));

        var byOther = _world.NewTransaction(_user, new TransactionOptions { Endorsers = ["Org2MSP"] });
        await byOther.PutStateAsync("owned", B("2"));
        Assert.Equal(ValidationCode.EndorsementPolicyFailure, _world.Commit(byOther).Code);
        var byOwner = _world.NewTransaction(_user, new TransactionOptions { Endorsers = ["Org2MSP", "Org1MSP"] });
        await byOwner.PutStateAsync("owned", B("3"));
        Assert.True(_world.Commit(byOwner).IsValid);
        Assert.Equal("3", S(_world.GetState("owned")));
    }

    [Fact]
    public void A_transaction_id_is_committed_once()
    {
        var a = _world.NewTransaction(_user, new TransactionOptions { TxId = "same" });
        var b = _world.NewTransaction(_user, new TransactionOptions { TxId = "same" });
        Assert.True(_world.Commit(a).IsValid);
        Assert.Equal(ValidationCode.DuplicateTxId, _world.Commit(b).Code);
    }

    [Fact]
    public void Creator_identity_attributes_transient_and_timestamp_are_those_given()
    {
        var at = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);
        var tx = _world.NewTransaction(_user, new TransactionOptions { Function = "Do", Parameters = ["a"], Timestamp = at, Transient = new Dictionary<string, byte[]> { ["t"] = B("x") } });
        Assert.Equal(at, tx.TxTimestamp);
        Assert.Equal(["Do", "a"], tx.Args.Select(S));
        Assert.Equal("x", S(tx.Transient["t"]));
        var identity = Fabric.Shim.Contracts.ClientIdentity.FromCreator(tx.Creator);
        Assert.Equal("Org1MSP", identity.MspId);
        Assert.Equal("operator", identity.GetAttributeValue("cashtransfer.role"));
        Assert.Equal(Fabric.Protocol.Identity.TransactionId.Compute([], []).Length, tx.TxId.Length);
    }
}
