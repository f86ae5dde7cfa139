using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fabric.Shim.Contracts;
using Fabric.Shim.Stub;

namespace Fabric.Shim.Tests.Replay;

/// <summary>
/// The C# twin of the contract that served chaincode <c>kvcc</c> when the vectors were captured
/// (../shared/vectors/README.md, "functions and the shim calls they make"), returning what the recorded
/// COMPLETED messages carry.
/// </summary>
[Contract("kvcc", IsDefault = true)]
public sealed class KvccContract : Contract
{
    [Transaction(Name = "put")]
    public async Task<object> Put(Context context, string key, string value)
    {
        await context.Stub.PutStateAsync(key, Utf8(value));
        context.Stub.SetEvent("Put", JsonSerializer.SerializeToUtf8Bytes(new { key, value }, ContractJson.Options));
        return new { key, value, txId = context.Stub.TxId };
    }

    [Transaction(TransactionKind.Evaluate, Name = "get")]
    public async Task<byte[]> Get(Context context, string key)
    {
        var value = await context.Stub.GetStateAsync(key);
        return value.Length > 0 ? value : throw new ChaincodeException($"{key} does not exist", 404);
    }

    [Transaction(Name = "move")]
    public async Task<object> Move(Context context, string from, string to)
    {
        var value = await context.Stub.GetStateAsync(from);
        await context.Stub.PutStateAsync(to, value);
        await context.Stub.DeleteStateAsync(from);
        return new { from, to, value = Encoding.UTF8.GetString(value) };
    }

    [Transaction(Name = "seed")]
    public async Task<string> Seed(Context context)
    {
        foreach (var letter in "abcde")
            await context.Stub.PutStateAsync($"range:{letter}", Utf8($"value-{letter}"));
        foreach (var (color, name) in new[] { ("blue", "car1"), ("blue", "car2"), ("red", "car3") })
            await context.Stub.PutStateAsync(context.Stub.CreateCompositeKey("color~name", [color, name]),
                JsonSerializer.SerializeToUtf8Bytes(new { color, name }, ContractJson.Options));
        return "seeded";
    }

    [Transaction(Name = "bulk")]
    public async Task<int> Bulk(Context context, string prefix, int n)
    {
        for (var i = 0; i < n; i++)
            await context.Stub.PutStateAsync($"{prefix}{i:D3}", Utf8(i.ToString()));
        return n;
    }

    [Transaction(Name = "range")]
    public async Task<List<object>> Range(Context context, string startKey, string endKey)
    {
        var results = new List<object>();
        await foreach (var kv in context.Stub.GetStateByRangeAsync(startKey, endKey))
            results.Add(new { key = kv.Key, value = Encoding.UTF8.GetString(kv.Value) });
        return results;
    }

    [Transaction(Name = "rangeCount")]
    public async Task<object> RangeCount(Context context, string startKey, string endKey)
    {
        var (count, first, last) = (0, "", "");
        await foreach (var kv in context.Stub.GetStateByRangeAsync(startKey, endKey))
        {
            if (count++ == 0) first = kv.Key;
            last = kv.Key;
        }
        return new { count, first, last };
    }

    [Transaction(TransactionKind.Evaluate, Name = "rangePage")]
    public async Task<object> RangePage(Context context, string startKey, string endKey, int pageSize, string bookmark)
    {
        var page = await context.Stub.GetStateByRangeWithPaginationAsync(startKey, endKey, pageSize, bookmark);
        return new
        {
            results = page.Results.Select(kv => new { key = kv.Key, value = Encoding.UTF8.GetString(kv.Value) }),
            fetchedRecordsCount = page.FetchedRecordsCount,
            bookmark = page.Bookmark,
        };
    }

    [Transaction(TransactionKind.Evaluate, Name = "byColor")]
    public async Task<List<object>> ByColor(Context context, string color)
    {
        var results = new List<object>();
        await foreach (var kv in context.Stub.GetStateByPartialCompositeKeyAsync("color~name", [color]))
        {
            var (objectType, attributes) = context.Stub.SplitCompositeKey(kv.Key);
            results.Add(new { objectType, attributes, value = Encoding.UTF8.GetString(kv.Value) });
        }
        return results;
    }

    [Transaction(TransactionKind.Evaluate, Name = "history")]
    public async Task<List<object>> History(Context context, string key)
    {
        var results = new List<object>();
        await foreach (var change in context.Stub.GetHistoryForKeyAsync(key))
            results.Add(new
            {
                txId = change.TxId,
                isDelete = change.IsDelete,
                value = Encoding.UTF8.GetString(change.Value),
                timestamp = new { seconds = change.Timestamp.ToUnixTimeSeconds(), nanos = (int)(change.Timestamp.UtcTicks % TimeSpan.TicksPerSecond) * 100 },
            });
        return results;
    }

    [Transaction(TransactionKind.Evaluate, Name = "whoami")]
    public object WhoAmI(Context context)
    {
        var idBytes = Msp.SerializedIdentity.Parser.ParseFrom(context.Stub.Creator).IdBytes.ToByteArray();
        return new
        {
            mspid = context.ClientIdentity.MspId,
            idBytesSha256 = Convert.ToHexStringLower(SHA256.HashData(idBytes)),
            clientIdentityId = context.ClientIdentity.Id,
            txId = context.Stub.TxId,
            channelId = context.Stub.ChannelId,
        };
    }

    [Transaction(Name = "putSecret")]
    public async Task<object> PutSecret(Context context, string key)
    {
        if (!context.Stub.Transient.TryGetValue("secret", out var secret))
            throw new ChaincodeException("The transient map must hold 'secret'.", 400);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(secret));
        await context.Stub.PutStateAsync(key, Utf8(sha256));
        return new { key, sha256, transientKeys = context.Stub.Transient.Keys.Order(StringComparer.Ordinal) };
    }

    [Transaction(Name = "fail")]
    public async Task Fail(Context context, string key)
    {
        var value = await context.Stub.GetStateAsync(key);
        throw new InvalidOperationException($"deliberate failure after reading {key} ({value.Length} bytes)");
    }

    [Transaction(TransactionKind.Evaluate, Name = "richQuery")]
    public async Task<List<KeyValue>> RichQuery(Context context, string query)
    {
        var results = new List<KeyValue>();
        await foreach (var kv in context.Stub.GetQueryResultAsync(query))
            results.Add(kv);
        return results;
    }

    [Transaction(Name = "incr")]
    public async Task<int> Increment(Context context, string key)
    {
        var current = await context.Stub.GetStateAsync(key);
        var next = (current.Length == 0 ? 0 : int.Parse(Encoding.UTF8.GetString(current))) + 1;
        await context.Stub.PutStateAsync(key, Utf8(next.ToString()));
        return next;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
