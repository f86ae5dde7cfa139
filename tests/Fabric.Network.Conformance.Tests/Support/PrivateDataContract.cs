using System.Globalization;
using System.Text;
using System.Text.Json;
using Fabric.Shim.Contracts;

namespace Fabric.Network.Conformance.Tests.Support;

/// <summary>
/// Private data functions written with our shim; private-contract.js in tests/interop/node/conformance/node-chaincode
/// offers the same ones with the official Node contract API. Values come in through the transient map, so they
/// never appear in the transaction's arguments.
/// </summary>
[Contract("PrivateDataContract")]
public sealed class PrivateDataContract : Contract
{
    /// <summary>Stores the transient entry "value" under <paramref name="key"/> in <paramref name="collection"/>.</summary>
    [Transaction]
    public async Task<string> PutPrivate(Context ctx, string collection, string key)
    {
        if (!ctx.Stub.Transient.TryGetValue("value", out var value)) throw new ChaincodeException("the transient map has no 'value'");
        await ctx.Stub.PutPrivateDataAsync(collection, key, value);
        return "stored";
    }

    [Transaction(TransactionKind.Evaluate)]
    public async Task<string> GetPrivate(Context ctx, string collection, string key) =>
        Encoding.UTF8.GetString(await ctx.Stub.GetPrivateDataAsync(collection, key));

    [Transaction(TransactionKind.Evaluate)]
    public async Task<string> GetPrivateHash(Context ctx, string collection, string key) =>
        Convert.ToHexStringLower(await ctx.Stub.GetPrivateDataHashAsync(collection, key));

    /// <summary>A private read-modify-write: its hashed read makes concurrent increments conflict at commit.</summary>
    [Transaction]
    public async Task<string> IncrementPrivate(Context ctx, string collection, string key)
    {
        var current = Encoding.UTF8.GetString(await ctx.Stub.GetPrivateDataAsync(collection, key));
        var next = ((current.Length == 0 ? 0 : long.Parse(current, CultureInfo.InvariantCulture)) + 1).ToString(CultureInfo.InvariantCulture);
        await ctx.Stub.PutPrivateDataAsync(collection, key, Encoding.UTF8.GetBytes(next));
        return next;
    }

    [Transaction]
    public async Task<string> DeletePrivate(Context ctx, string collection, string key)
    {
        await ctx.Stub.DeletePrivateDataAsync(collection, key);
        return "deleted";
    }

    [Transaction]
    public async Task<string> PurgePrivate(Context ctx, string collection, string key)
    {
        await ctx.Stub.PurgePrivateDataAsync(collection, key);
        return "purged";
    }

    /// <summary>Every transient entry becomes a private key with its value, all in one transaction.</summary>
    [Transaction]
    public async Task<string> PutPrivateEntries(Context ctx, string collection)
    {
        foreach (var (key, value) in ctx.Stub.Transient)
            await ctx.Stub.PutPrivateDataAsync(collection, key, value);
        return ctx.Stub.Transient.Count.ToString(CultureInfo.InvariantCulture);
    }

    [Transaction]
    public async Task<string> PutPrivateComposite(Context ctx, string collection, string objectType, string first, string second)
    {
        if (!ctx.Stub.Transient.TryGetValue("value", out var value)) throw new ChaincodeException("the transient map has no 'value'");
        await ctx.Stub.PutPrivateDataAsync(collection, ctx.Stub.CreateCompositeKey(objectType, [first, second]), value);
        return "stored";
    }

    [Transaction(TransactionKind.Evaluate)]
    public Task<string> RangePrivate(Context ctx, string collection, string startKey, string endKey) =>
        CollectAsync(ctx.Stub.GetPrivateDataByRangeAsync(collection, startKey, endKey));

    [Transaction(TransactionKind.Evaluate)]
    public Task<string> PartialPrivate(Context ctx, string collection, string objectType, string first) =>
        CollectAsync(ctx.Stub.GetPrivateDataByPartialCompositeKeyAsync(collection, objectType, first.Length == 0 ? [] : [first]));

    /// <summary>Writes a key, then reads it back in the same transaction: a transaction does not see its own writes.</summary>
    [Transaction]
    public async Task<string> PutThenGetPrivate(Context ctx, string collection, string key)
    {
        await ctx.Stub.PutPrivateDataAsync(collection, key, Encoding.UTF8.GetBytes("written in this transaction"));
        return Encoding.UTF8.GetString(await ctx.Stub.GetPrivateDataAsync(collection, key));
    }

    /// <summary>Writes, then queries a private range: Fabric refuses private queries in a transaction that writes.</summary>
    [Transaction]
    public async Task<string> PutThenRangePrivate(Context ctx, string collection, string key, string startKey, string endKey)
    {
        await ctx.Stub.PutPrivateDataAsync(collection, key, Encoding.UTF8.GetBytes("written in this transaction"));
        return await CollectAsync(ctx.Stub.GetPrivateDataByRangeAsync(collection, startKey, endKey));
    }

    /// <summary>Queries a private range, then writes: refused too.</summary>
    [Transaction]
    public async Task<string> RangeThenPutPrivate(Context ctx, string collection, string key, string startKey, string endKey)
    {
        var entries = await CollectAsync(ctx.Stub.GetPrivateDataByRangeAsync(collection, startKey, endKey));
        await ctx.Stub.PutPrivateDataAsync(collection, key, Encoding.UTF8.GetBytes("written after a query"));
        return entries;
    }

    // [{"key": ..., "value": ...}] in the order the peer returned them, as private-contract.js prints them.
    private static async Task<string> CollectAsync(IAsyncEnumerable<Fabric.Shim.Stub.KeyValue> results)
    {
        var entries = new List<PrivateEntry>();
        await foreach (var kv in results) entries.Add(new PrivateEntry(kv.Key, Encoding.UTF8.GetString(kv.Value)));
        return JsonSerializer.Serialize(entries, PrivateEntry.Json);
    }
}

/// <summary>One result of a private range query, as both conformance contracts print it.</summary>
public sealed record PrivateEntry(string Key, string Value)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
