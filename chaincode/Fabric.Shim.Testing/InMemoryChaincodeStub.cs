using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Fabric.Shim.Stub;

namespace Fabric.Shim.Testing;

/// <summary>
/// One transaction being simulated against an <see cref="InMemoryWorldState"/>, with Fabric's semantics:
/// reads see committed state only (never this transaction's own writes); writes are buffered until commit;
/// an empty value written is a delete; range results come in key order; paginated and private data queries are
/// allowed only in a transaction that does not write; one event per transaction (the last one set wins). Reads and range scans
/// are recorded with versions so that the commit can detect MVCC and phantom conflicts.
/// </summary>
public sealed class InMemoryChaincodeStub : IChaincodeStub
{
    private readonly InMemoryWorldState _world;
    private bool _writePerformed;
    private bool _paginatedQueryPerformed;
    private bool _privateQueryPerformed;

    internal InMemoryChaincodeStub(InMemoryWorldState world, string txId, byte[] creator, byte[] binding, DateTimeOffset timestamp, TransactionOptions options)
    {
        _world = world;
        TxId = txId;
        Creator = creator;
        Binding = binding;
        TxTimestamp = timestamp;
        Options = options;
        Args = [Encoding.UTF8.GetBytes(options.Function), .. options.Parameters.Select(Encoding.UTF8.GetBytes)];
        Transient = options.Transient ?? new Dictionary<string, byte[]>();
    }

    internal TransactionOptions Options { get; }
    internal Dictionary<string, long?> Reads { get; } = new(StringComparer.Ordinal);
    internal Dictionary<(string Collection, string Key), long?> PrivateReads { get; } = [];
    internal List<RangeRead> RangeReads { get; } = [];
    internal Dictionary<(string Collection, string Key), byte[]> PrivateWrites { get; } = [];
    internal Dictionary<(string Collection, string Key), byte[]> PrivateMetadataWrites { get; } = [];
    internal Dictionary<string, byte[]> MetadataWrites { get; } = new(StringComparer.Ordinal);

    internal SortedDictionary<string, byte[]> WriteSet { get; } = new(KeyOrder.Instance);

    /// <summary>The buffered writes of this transaction, in key order (an empty value is a delete).</summary>
    public IReadOnlyDictionary<string, byte[]> Writes => WriteSet;

    /// <summary>The event set by this transaction, if any.</summary>
    public (string Name, byte[] Payload)? Event { get; private set; }

    public string TxId { get; }
    public string ChannelId => _world.ChannelId;
    public DateTimeOffset TxTimestamp { get; }
    public IReadOnlyList<byte[]> Args { get; }
    public string Function => Options.Function;
    public IReadOnlyList<string> Parameters => Options.Parameters;
    public Protos.SignedProposal? SignedProposal => null;
    public byte[] Creator { get; }
    public byte[] Binding { get; }
    public IReadOnlyDictionary<string, byte[]> Transient { get; }

    public Task<byte[]> GetStateAsync(string key, CancellationToken cancellationToken = default)
    {
        RequireKey(key);
        var entry = _world.Read(key);
        Reads.TryAdd(key, entry?.Version);
        return Task.FromResult(entry?.Value ?? []);
    }

    public Task PutStateAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        RequireKey(key);
        BeforeWrite();
        WriteSet[key] = value;
        return Task.CompletedTask;
    }

    public Task DeleteStateAsync(string key, CancellationToken cancellationToken = default) => PutStateAsync(key, [], cancellationToken);

    public IAsyncEnumerable<KeyValue> GetStateByRangeAsync(string startKey, string endKey, CancellationToken cancellationToken = default)
    {
        var (start, end) = SimpleRange(startKey, endKey);
        return Iterate(start, end, cancellationToken);
    }

    public Task<QueryPage> GetStateByRangeWithPaginationAsync(string startKey, string endKey, int pageSize, string bookmark, CancellationToken cancellationToken = default)
    {
        var (start, end) = SimpleRange(startKey, endKey);
        return Task.FromResult(Page(start, end, pageSize, bookmark));
    }

    public IAsyncEnumerable<KeyValue> GetStateByPartialCompositeKeyAsync(string objectType, IReadOnlyList<string> attributes, CancellationToken cancellationToken = default)
    {
        var start = CompositeKeys.Create(objectType, attributes);
        return Iterate(start, start + CompositeKeys.MaxUnicodeRune, cancellationToken);
    }

    public Task<QueryPage> GetStateByPartialCompositeKeyWithPaginationAsync(string objectType, IReadOnlyList<string> attributes, int pageSize, string bookmark, CancellationToken cancellationToken = default)
    {
        var start = CompositeKeys.Create(objectType, attributes);
        return Task.FromResult(Page(start, start + CompositeKeys.MaxUnicodeRune, pageSize, bookmark));
    }

    public IAsyncEnumerable<KeyValue> GetStateByCompositeKeyRangeAsync(string objectType, IReadOnlyList<string> attributes, string first, string last, CancellationToken cancellationToken = default)
    {
        var start = CompositeKeys.Create(objectType, [.. attributes, first]);
        return Iterate(start, CompositeKeys.Create(objectType, [.. attributes, last]) + CompositeKeys.MaxUnicodeRune, cancellationToken);
    }

    public async IAsyncEnumerable<KeyModification> GetHistoryForKeyAsync(string key, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireKey(key);
        foreach (var modification in _world.History(key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return modification;
        }
        await Task.CompletedTask;
    }

    public IAsyncEnumerable<KeyValue> GetQueryResultAsync(string query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Rich queries need CouchDB; this in-memory state behaves like LevelDB, which does not support them.");

    public Task<QueryPage> GetQueryResultWithPaginationAsync(string query, int pageSize, string bookmark, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Rich queries need CouchDB; this in-memory state behaves like LevelDB, which does not support them.");

    public string CreateCompositeKey(string objectType, IReadOnlyList<string> attributes) => CompositeKeys.Create(objectType, attributes);

    public (string ObjectType, IReadOnlyList<string> Attributes) SplitCompositeKey(string compositeKey) => CompositeKeys.Split(compositeKey);

    public Task<byte[]> GetPrivateDataAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        RequireCollection(collection);
        RequireKey(key);
        var entry = _world.ReadPrivate(collection, key);
        PrivateReads.TryAdd((collection, key), entry?.Version);
        return Task.FromResult(entry?.Value ?? []);
    }

    public Task<byte[]> GetPrivateDataHashAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        RequireCollection(collection);
        RequireKey(key);
        var entry = _world.ReadPrivate(collection, key);
        return Task.FromResult(entry is null ? [] : SHA256.HashData(entry.Value));
    }

    public Task PutPrivateDataAsync(string collection, string key, byte[] value, CancellationToken cancellationToken = default)
    {
        RequireCollection(collection);
        RequireKey(key);
        BeforeWrite();
        PrivateWrites[(collection, key)] = value;
        return Task.CompletedTask;
    }

    public Task DeletePrivateDataAsync(string collection, string key, CancellationToken cancellationToken = default) =>
        PutPrivateDataAsync(collection, key, [], cancellationToken);

    public Task PurgePrivateDataAsync(string collection, string key, CancellationToken cancellationToken = default) =>
        PutPrivateDataAsync(collection, key, [], cancellationToken);

    public async IAsyncEnumerable<KeyValue> GetPrivateDataByRangeAsync(string collection, string startKey, string endKey, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireCollection(collection);
        BeforePrivateQuery();
        var (start, end) = SimpleRange(startKey, endKey);
        foreach (var (key, entry) in _world.Range(start, end, collection))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new KeyValue(key, entry.Value);
        }
        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<KeyValue> GetPrivateDataByPartialCompositeKeyAsync(string collection, string objectType, IReadOnlyList<string> attributes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireCollection(collection);
        BeforePrivateQuery();
        var start = CompositeKeys.Create(objectType, attributes);
        foreach (var (key, entry) in _world.Range(start, start + CompositeKeys.MaxUnicodeRune, collection))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new KeyValue(key, entry.Value);
        }
        await Task.CompletedTask;
    }

    public IAsyncEnumerable<KeyValue> GetPrivateDataQueryResultAsync(string collection, string query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Rich queries need CouchDB; this in-memory state behaves like LevelDB, which does not support them.");

    public Task<byte[]> GetStateValidationParameterAsync(string key, CancellationToken cancellationToken = default)
    {
        RequireKey(key);
        var entry = _world.Read(key);
        Reads.TryAdd(key, entry?.Version); // Fabric records a metadata read in the read set like a value read
        return Task.FromResult(entry?.ValidationParameter ?? []);
    }

    public Task SetStateValidationParameterAsync(string key, byte[] endorsementPolicy, CancellationToken cancellationToken = default)
    {
        RequireKey(key);
        BeforeWrite();
        MetadataWrites[key] = endorsementPolicy;
        return Task.CompletedTask;
    }

    public Task<byte[]> GetPrivateDataValidationParameterAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        RequireCollection(collection);
        return Task.FromResult(_world.ReadPrivate(collection, key)?.ValidationParameter ?? []);
    }

    public Task SetPrivateDataValidationParameterAsync(string collection, string key, byte[] endorsementPolicy, CancellationToken cancellationToken = default)
    {
        RequireCollection(collection);
        BeforeWrite();
        PrivateMetadataWrites[(collection, key)] = endorsementPolicy;
        return Task.CompletedTask;
    }

    public void SetEvent(string name, byte[] payload)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("An event needs a name.", nameof(name));
        Event = (name, payload);
    }

    public Task<ChaincodeResponse> InvokeChaincodeAsync(string chaincodeName, IReadOnlyList<byte[]> args, string channel = "", CancellationToken cancellationToken = default) =>
        Task.FromResult(_world.Invoke(chaincodeName, args));

    private async IAsyncEnumerable<KeyValue> Iterate(string start, string end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var results = _world.Range(start, end); // a snapshot, as the peer's simulator reads one
        var record = new RangeRead(start, end, []);
        RangeReads.Add(record);
        foreach (var (key, entry) in results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            record.Seen.Add((key, entry.Version));
            yield return new KeyValue(key, entry.Value);
        }
        record.Exhausted = true;
        await Task.CompletedTask;
    }

    private QueryPage Page(string start, string end, int pageSize, string bookmark)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pageSize);
        if (_writePerformed)
            throw new InvalidOperationException($"txid [{TxId}]: unsuppored transaction. Paginated queries are supported only in a read-only transaction");
        _paginatedQueryPerformed = true;
        // The bookmark is the first key of the next page; LevelDB treats page size 0 as "no limit".
        if (!string.IsNullOrEmpty(bookmark)) start = bookmark;
        var all = _world.Range(start, end);
        int take = pageSize == 0 ? all.Count : Math.Min(pageSize, all.Count);
        var page = all.Take(take).Select(p => new KeyValue(p.Key, p.Entry.Value)).ToList();
        string next = take < all.Count ? all[take].Key : "";
        return new QueryPage(page, page.Count, next);
    }

    // The peer's words, its spelling included, so that a contract's tests see what a Fabric 2.5 peer answers.
    private void BeforeWrite()
    {
        if (_privateQueryPerformed)
            throw new InvalidOperationException($"txid [{TxId}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed");
        if (_paginatedQueryPerformed)
            throw new InvalidOperationException($"txid [{TxId}]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed");
        _writePerformed = true;
    }

    private void BeforePrivateQuery()
    {
        if (_writePerformed)
            throw new InvalidOperationException($"txid [{TxId}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction");
        _privateQueryPerformed = true;
    }

    private static (string Start, string End) SimpleRange(string startKey, string endKey)
    {
        // Range queries cover simple keys only; Fabric's shims start an empty range at U+0001, after every composite key.
        if (CompositeKeys.IsComposite(startKey) || CompositeKeys.IsComposite(endKey))
            throw new ArgumentException("Range queries take simple keys; use a partial composite key query for composite keys.");
        return (startKey.Length == 0 ? "\u0001" : startKey, endKey);
    }

    private static void RequireKey(string key)
    {
        if (string.IsNullOrEmpty(key)) throw new ArgumentException("A key must not be empty.", nameof(key));
    }

    private static void RequireCollection(string collection)
    {
        if (string.IsNullOrEmpty(collection)) throw new ArgumentException("A private data collection name is required.", nameof(collection));
    }
}
