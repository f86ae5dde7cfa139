using System.Text.Json;
using Fabric.Client;
using Fabric.Network.Conformance.Tests.Support;
using Protos;

namespace Fabric.Network.Conformance.Tests;

/// <summary>
/// Private data range queries (GetPrivateDataByRange, GetPrivateDataByPartialCompositeKey) with our shim and with
/// the official Node contract API: keys in byte order from the start key (inclusive) to the end key (exclusive),
/// member-only read enforced as Fabric words it, only committed data visible (a transaction does not read its own
/// private writes), and, as on Fabric, no private query in a transaction that writes (the query is not re-checked
/// at commit). Each test writes under keys of its own, beside other tests' keys in "shared".
/// </summary>
public sealed partial class PrivateDataTests
{
    private const string MaxRune = "\U0010FFFF";

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task A_private_range_returns_keys_in_byte_order_from_the_start_key_up_to_but_not_including_the_end_key(string chaincode)
    {
        var p = $"range-{Guid.NewGuid():N}-";
        // Written in one transaction in no particular order. In UTF-8 bytes (Fabric's key order) U+FF61 comes before
        // U+1F600; in UTF-16 code units it comes after.
        var status = await PutEntriesAsync(chaincode, ["b", "\U0001F600", "a", "c", "\uFF61"], p);
        Assert.Equal(TxValidationCode.Valid, status.Code);

        var all = await RangeAsync(Wfp, chaincode, null, p, p + MaxRune);
        Assert.Equal(["a", "b", "c", "\uFF61", "\U0001F600"], all.Select(e => e.Key[p.Length..]));
        Assert.All(all, e => Assert.Equal("value of " + e.Key[p.Length..], e.Value));
        Assert.Equal([p + "b", p + "c"], (await RangeAsync(Wfp, chaincode, null, p + "b", p + "\uFF61")).Select(e => e.Key));
        Assert.Empty(await RangeAsync(Wfp, chaincode, null, p + "b", p + "b"));
        // UN Women's peer, the other member, answers the same from its own copy.
        Assert.Equal(all, await RangeAsync(UnWomen, chaincode, null, p, p + MaxRune));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task A_partial_composite_key_query_returns_the_matching_private_keys_in_order_and_a_simple_range_none(string chaincode)
    {
        var type = $"voucher{Guid.NewGuid():N}";
        foreach (var (agency, id) in new[] { ("wfp", "002"), ("unhcr", "001"), ("wfp", "001") })
        {
            var status = await SubmitAsync(Wfp, chaincode, "PrivateDataContract:PutPrivateComposite",
                new ProposalOptions().AddArguments(Shared, type, agency, id).AddTransient("value", $"{agency} {id}"));
            Assert.Equal(TxValidationCode.Valid, status.Code);
        }

        var wfp = await PartialAsync(Wfp, chaincode, null, type, "wfp");
        Assert.Equal([Composite(type, "wfp", "001"), Composite(type, "wfp", "002")], wfp.Select(e => e.Key));
        Assert.Equal(["wfp 001", "wfp 002"], wfp.Select(e => e.Value));
        Assert.Equal([Composite(type, "unhcr", "001"), Composite(type, "wfp", "001"), Composite(type, "wfp", "002")],
            (await PartialAsync(UnWomen, chaincode, null, type, "")).Select(e => e.Key));
        // An open range of simple keys starts after the composite key namespace (U+0000).
        Assert.DoesNotContain(await RangeAsync(Wfp, chaincode, null, "", ""), e => e.Key.StartsWith('\0'));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Private_range_queries_refuse_a_client_of_an_organisation_outside_the_collection(string chaincode)
    {
        var p = $"refused-{Guid.NewGuid():N}-";
        Assert.Equal(TxValidationCode.Valid, (await PutEntriesAsync(chaincode, ["a"], p)).Code);
        var denied = $"tx creator does not have read access permission on privatedata in chaincodeName:{chaincode} collectionName: {Shared}";

        var range = await EvaluateFailureAsync(Unhcr, chaincode, "RangePrivate", "UNHCRMSP", Shared, p, p + MaxRune);
        Assert.Contains("GET_STATE_BY_RANGE failed: transaction ID: ", range);
        Assert.Contains(denied, range);
        Assert.DoesNotContain("value of a", range);
        Assert.Contains(denied, await EvaluateFailureAsync(Wfp, chaincode, "PartialPrivate", "UNHCRMSP", Shared, "voucher", ""));
        // A member's client on UNHCR's peer is allowed, but that peer holds no copy of the collection.
        Assert.Empty(await RangeAsync(Unhcr, chaincode, "WFPMSP", p, p + MaxRune));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Only_committed_private_data_is_read_and_a_transaction_does_not_read_its_own_private_writes(string chaincode)
    {
        var p = $"own-{Guid.NewGuid():N}-";
        Assert.Equal(TxValidationCode.Valid, (await PutEntriesAsync(chaincode, ["a"], p)).Code);
        var (gateway, resources) = fixture.ClientGateway(Wfp);
        using var _ = resources;
        var contract = Contract(gateway, chaincode);

        var submitted = await contract.SubmitAsync("PrivateDataContract:PutThenGetPrivate", new ProposalOptions().AddArguments(Shared, p + "a"));
        Assert.Equal("value of a", Fabric.Client.Contract.AsString(submitted.Result)); // the committed value, not its own write
        Assert.Equal(TxValidationCode.Valid, (await submitted.GetStatusAsync()).Code);
        Assert.Equal("written in this transaction", await EvaluateAsync(Wfp, chaincode, "GetPrivate", null, Shared, p + "a"));

        // Endorsed and handed to the member peers' transient stores, but not committed: in no range yet.
        var endorsed = await contract.NewProposal("PrivateDataContract:PutPrivateEntries",
            new ProposalOptions().AddArguments(Shared).AddTransient(p + "b", "pending")).EndorseAsync();
        Assert.Equal([p + "a"], (await RangeAsync(Wfp, chaincode, null, p, p + MaxRune)).Select(e => e.Key));
        Assert.Equal([p + "a"], (await RangeAsync(UnWomen, chaincode, null, p, p + MaxRune)).Select(e => e.Key));
        Assert.Equal(TxValidationCode.Valid, (await (await endorsed.SubmitAsync()).GetStatusAsync()).Code);
        Assert.Equal([p + "a", p + "b"], (await RangeAsync(UnWomen, chaincode, null, p, p + MaxRune)).Select(e => e.Key));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task A_transaction_that_writes_cannot_query_a_private_range_nor_write_after_one(string chaincode)
    {
        var p = $"rw-{Guid.NewGuid():N}-";
        Assert.Equal(TxValidationCode.Valid, (await PutEntriesAsync(chaincode, ["a"], p)).Code);
        var (gateway, resources) = fixture.ClientGateway(Wfp);
        using var _ = resources;
        var contract = Contract(gateway, chaincode);

        var queryAfterWrite = await Assert.ThrowsAsync<EndorseException>(() =>
            contract.SubmitAsync("PrivateDataContract:PutThenRangePrivate", new ProposalOptions().AddArguments(Shared, p + "b", p, p + MaxRune)));
        var txId = queryAfterWrite.TransactionId;
        Assert.Contains($"GET_STATE_BY_RANGE failed: transaction ID: {txId}: txid [{txId}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction", Describe(queryAfterWrite));

        var writeAfterQuery = await Assert.ThrowsAsync<EndorseException>(() =>
            contract.SubmitAsync("PrivateDataContract:RangeThenPutPrivate", new ProposalOptions().AddArguments(Shared, p + "b", p, p + MaxRune)));
        txId = writeAfterQuery.TransactionId;
        Assert.Contains($"PUT_STATE failed: transaction ID: {txId}: txid [{txId}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed", Describe(writeAfterQuery));
        Assert.Equal([p + "a"], (await RangeAsync(Wfp, chaincode, null, p, p + MaxRune)).Select(e => e.Key));
    }

    // One transaction writing "value of <name>" under prefix + name for each name.
    private async Task<CommitStatus> PutEntriesAsync(string chaincode, IEnumerable<string> names, string prefix)
    {
        var options = new ProposalOptions().AddArguments(Shared);
        foreach (var name in names) options.AddTransient(prefix + name, "value of " + name);
        return await SubmitAsync(Wfp, chaincode, "PrivateDataContract:PutPrivateEntries", options);
    }

    private async Task<List<PrivateEntry>> RangeAsync(int peer, string chaincode, string? userMspId, string startKey, string endKey) =>
        Entries(await EvaluateAsync(peer, chaincode, "RangePrivate", userMspId, Shared, startKey, endKey));

    private async Task<List<PrivateEntry>> PartialAsync(int peer, string chaincode, string? userMspId, string objectType, string first) =>
        Entries(await EvaluateAsync(peer, chaincode, "PartialPrivate", userMspId, Shared, objectType, first));

    private static List<PrivateEntry> Entries(string json) =>
        JsonSerializer.Deserialize<List<PrivateEntry>>(json, PrivateEntry.Json) ?? throw new InvalidOperationException($"not a list of entries: {json}");

    // Fabric's composite key: U+0000, then the object type and each attribute, each followed by U+0000.
    private static string Composite(string objectType, params string[] attributes) =>
        "\0" + objectType + "\0" + string.Concat(attributes.Select(a => a + "\0"));
}
