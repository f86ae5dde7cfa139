using CashTransfer.Contracts;
using Fabric.Shim.Contracts;
using Fabric.Shim.Stub;
using CashTransfer.Chaincode.Domain;

namespace CashTransfer.Chaincode.Ledger;

/// <summary>Typed access to the records of one transaction: read, write, page, emit. Remember reads never see this transaction's writes.</summary>
internal sealed class LedgerStore
{
    public LedgerStore(Context context) => Stub = context.Stub;

    public IChaincodeStub Stub { get; }

    public string Key(string type, params string[] parts) => Stub.CreateCompositeKey(type, parts);

    public async Task<T?> FindAsync<T>(string key) where T : class
    {
        var bytes = await Stub.GetStateAsync(key);
        return bytes.Length == 0 ? null : LedgerJson.Deserialize<T>(bytes);
    }

    public async Task<T> GetAsync<T>(string key, string notFound) where T : class =>
        await FindAsync<T>(key) ?? throw Problem.NotFound(notFound);

    public Task PutAsync<T>(string key, T value) => Stub.PutStateAsync(key, LedgerJson.Serialize(value));

    /// <summary>Index entries point at a record id; the value must not be empty (an empty write is a delete in Fabric).</summary>
    public Task PutIndexAsync(string key, string id) => Stub.PutStateAsync(key, System.Text.Encoding.UTF8.GetBytes(id));

    public Task DeleteAsync(string key) => Stub.DeleteStateAsync(key);

    /// <summary>Requires <paramref name="ownerMsp"/>'s peer to endorse every later change of the key.</summary>
    public Task RequireEndorsementByAsync(string key, string ownerMsp) => Stub.SetStateValidationParameterAsync(key, Endorsement.ByPeerOf(ownerMsp));

    public async Task<List<T>> AllAsync<T>(string type, params string[] parts)
    {
        var results = new List<T>();
        await foreach (var kv in Stub.GetStateByPartialCompositeKeyAsync(type, parts))
            results.Add(LedgerJson.Deserialize<T>(kv.Value));
        return results;
    }

    /// <summary>One page of a partial composite key query, each entry mapped (null drops it from the page).</summary>
    public async Task<Page<T>> PageAsync<T>(string type, string[] parts, int pageSize, string? bookmark, Func<KeyValue, Task<T?>> map) where T : class
    {
        var page = await Stub.GetStateByPartialCompositeKeyWithPaginationAsync(type, parts, Paging.Require(pageSize), bookmark ?? "");
        return await MapAsync(page, map);
    }

    public async Task<Page<T>> RangePageAsync<T>(string start, string end, int pageSize, string? bookmark, Func<KeyValue, Task<T?>> map) where T : class
    {
        var page = await Stub.GetStateByRangeWithPaginationAsync(start, end, Paging.Require(pageSize), bookmark ?? "");
        return await MapAsync(page, map);
    }

    public void Emit<T>(string name, T payload) => Stub.SetEvent(name, LedgerJson.Serialize(payload));

    private static async Task<Page<T>> MapAsync<T>(QueryPage page, Func<KeyValue, Task<T?>> map) where T : class
    {
        var items = new List<T>(page.Results.Count);
        foreach (var kv in page.Results)
            if (await map(kv) is { } item) items.Add(item);
        return new Page<T>(items, page.Bookmark);
    }
}

/// <summary>Page sizes callers may ask for.</summary>
public static class Paging
{
    public const int MaxPageSize = 1000;

    public static int Require(int pageSize) => pageSize is >= 1 and <= MaxPageSize
        ? pageSize
        : throw Problem.Invalid($"Page size must be between 1 and {MaxPageSize}; got {pageSize}.");
}
