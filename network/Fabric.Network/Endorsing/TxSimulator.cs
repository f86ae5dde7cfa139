using Fabric.Network.Ledger;
using Fabric.Network.PrivateData;
using Google.Protobuf;
using Kvrwset;
using Protos;
using Queryresult;

namespace Fabric.Network.Endorsing;

/// <summary>
/// Runs one proposal's state calls against the committed state and records its read-write set as a
/// Fabric peer does: reads with the version seen (a transaction does not see its own writes), writes
/// and metadata writes by key, range queries with their results (raw or merkle-summarised) and whether
/// the iterator was exhausted. Query results go back to the chaincode in batches of 100, under a UUID
/// iterator id as Fabric uses.
/// </summary>
public sealed partial class TxSimulator
{
    /// <summary>Results per QueryResponse, as a Fabric peer sends them.</summary>
    public const int QueryBatchSize = 100;

    private readonly WorldState _state;
    private readonly HistoryIndex _history;
    private readonly string _namespace;
    private readonly SortedDictionary<string, KVRead> _reads = new(Utf8OrdinalComparer.Instance);
    private readonly SortedDictionary<string, KVWrite> _writes = new(Utf8OrdinalComparer.Instance);
    private readonly SortedDictionary<string, Dictionary<string, ByteString>> _metadataWrites = new(Utf8OrdinalComparer.Instance);
    private readonly List<RangeQueryInfo> _rangeQueries = new();
    private readonly Dictionary<string, QueryIterator> _iterators = new();
    private bool _paginated;

    public TxSimulator(WorldState state, HistoryIndex history, string ns)
    {
        _state = state;
        _history = history;
        _namespace = ns;
    }

    /// <summary>A simulation that may use the chaincode's private data collections, on the peer of <paramref name="peerMspId"/>.</summary>
    public TxSimulator(WorldState state, HistoryIndex history, string ns, ChannelCollections collections, string peerMspId, string creatorMspId)
        : this(state, history, ns)
    {
        _collections = collections;
        _peerMspId = peerMspId;
        _creatorMspId = creatorMspId;
    }

    /// <summary>The transaction simulated, named in the errors that Fabric's simulator words with it.</summary>
    public string TxId { get; init; } = "";

    public bool HasWrites => _writes.Count > 0 || _metadataWrites.Count > 0 || _privateWrites.Count > 0;

    public ByteString GetState(string key)
    {
        var value = _state.Get(_namespace, key);
        RecordRead(key, value);
        return value?.Value ?? ByteString.Empty;
    }

    public void PutState(string key, ByteString value)
    {
        CheckWritable(key);
        _writes[key] = new KVWrite { Key = key, Value = value };
    }

    public void DelState(string key)
    {
        CheckWritable(key);
        _writes[key] = new KVWrite { Key = key, IsDelete = true };
    }

    public StateMetadataResult GetStateMetadata(string key)
    {
        var value = _state.Get(_namespace, key);
        RecordRead(key, value);
        var result = new StateMetadataResult();
        foreach (var (name, bytes) in value?.Metadata ?? VersionedValue.NoMetadata)
            result.Entries.Add(new StateMetadata { Metakey = name, Value = bytes });
        return result;
    }

    /// <summary>Sets one metadata entry; the key's other entries are kept, as Fabric merges them.</summary>
    public void PutStateMetadata(string key, string name, ByteString value)
    {
        CheckWritable(key);
        if (!_metadataWrites.TryGetValue(key, out var entries))
        {
            entries = _state.Get(_namespace, key)?.Metadata.ToDictionary(e => e.Key, e => e.Value) ?? new Dictionary<string, ByteString>();
            _metadataWrites[key] = entries;
        }
        entries[name] = value;
    }

    /// <summary>Starts a range query (or a page of one); returns the first batch with the iterator id.</summary>
    public QueryResponse StartRange(string startKey, string endKey, QueryMetadata? paging)
    {
        if (endKey.Length > 0 && Utf8OrdinalComparer.Instance.Compare(startKey, endKey) > 0)
            throw new InvalidOperationException($"the start key '{startKey}' is after the end key '{endKey}'");
        var id = Guid.NewGuid().ToString();
        QueryIterator iterator;
        if (paging is { PageSize: > 0 })
        {
            if (HasWrites) throw new InvalidOperationException("paginated queries are supported only in a read-only transaction");
            _paginated = true;
            var from = string.IsNullOrEmpty(paging.Bookmark) ? startKey : paging.Bookmark;
            var all = _state.Range(_namespace, from, endKey);
            var page = all.Take(paging.PageSize).ToList();
            var bookmark = all.Count > page.Count ? all[page.Count].Key : "";
            iterator = new QueryIterator(page.Select(kv => Kv(kv.Key, kv.Value)).ToList(), null, null)
            {
                Metadata = new QueryResponseMetadata { FetchedRecordsCount = page.Count, Bookmark = bookmark },
            };
        }
        else
        {
            var results = _state.Range(_namespace, startKey, endKey);
            var info = new RangeQueryInfo { StartKey = startKey, EndKey = endKey };
            iterator = new QueryIterator(results.Select(kv => Kv(kv.Key, kv.Value)).ToList(), info, new RangeQueryResults())
            {
                Versions = results.Select(kv => kv.Value.Version).ToList(),
            };
        }
        _iterators[id] = iterator;
        return NextBatch(id, iterator);
    }

    /// <summary>Starts a key history query (newest first).</summary>
    public QueryResponse StartHistory(string key)
    {
        var id = Guid.NewGuid().ToString();
        var entries = _history.For(_namespace, key)
            .Select(h => new KeyModification { TxId = h.TxId, Value = h.Value, IsDelete = h.IsDelete, Timestamp = h.Timestamp }.ToByteString())
            .ToList();
        var iterator = new QueryIterator(entries, null, null);
        _iterators[id] = iterator;
        return NextBatch(id, iterator);
    }

    public QueryResponse Next(string id) =>
        _iterators.TryGetValue(id, out var iterator) ? NextBatch(id, iterator) : throw new InvalidOperationException($"query iterator {id} does not exist");

    public QueryResponse Close(string id)
    {
        if (_iterators.Remove(id, out var iterator)) Finish(iterator);
        return new QueryResponse { Id = id };
    }

    /// <summary>The read-write set of this simulation (closing any iterator the chaincode left open).</summary>
    public Rwset.TxReadWriteSet BuildReadWriteSet()
    {
        foreach (var id in _iterators.Keys.ToList()) Close(id);
        var set = new KVRWSet();
        set.Reads.AddRange(_reads.Values);
        set.RangeQueriesInfo.AddRange(_rangeQueries);
        set.Writes.AddRange(_writes.Values);
        foreach (var (key, entries) in _metadataWrites)
        {
            var write = new KVMetadataWrite { Key = key };
            write.Entries.AddRange(entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new KVMetadataEntry { Name = e.Key, Value = e.Value }));
            set.MetadataWrites.Add(write);
        }
        var tx = new Rwset.TxReadWriteSet { DataModel = Rwset.TxReadWriteSet.Types.DataModel.Kv };
        var nsSet = new Rwset.NsReadWriteSet { Namespace = _namespace, Rwset = set.ToByteString() };
        AddPrivateData(nsSet);
        tx.NsRwset.Add(nsSet);
        return tx;
    }

    private void CheckWritable(string key)
    {
        if (string.IsNullOrEmpty(key)) throw new InvalidOperationException("an empty key is not allowed");
        if (_privateQueried)
            throw new InvalidOperationException($"txid [{TxId}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed");
        if (_paginated) throw new InvalidOperationException("txsimulator does not support write after paginated queries");
    }

    private void RecordRead(string key, VersionedValue? value)
    {
        if (!_reads.ContainsKey(key)) _reads[key] = new KVRead { Key = key, Version = value?.Version.ToProto() };
    }

    private ByteString Kv(string key, VersionedValue value) => new KV { Namespace = _namespace, Key = key, Value = value.Value }.ToByteString();

    private QueryResponse NextBatch(string id, QueryIterator iterator)
    {
        var response = new QueryResponse { Id = id };
        while (response.Results.Count < QueryBatchSize && iterator.Position < iterator.Results.Count)
        {
            int i = iterator.Position++;
            response.Results.Add(new QueryResultBytes { ResultBytes = iterator.Results[i] });
            iterator.Delivered(i);
        }
        response.HasMore = iterator.Position < iterator.Results.Count;
        if (!response.HasMore) iterator.Exhausted();
        if (iterator.Metadata is not null) response.Metadata = iterator.Metadata.ToByteString();
        return response;
    }

    private void Finish(QueryIterator iterator)
    {
        if (iterator.Info is null || iterator.Hasher is null || iterator.Finished) return;
        iterator.Finished = true;
        var (raw, summary) = iterator.Hasher.Done();
        if (summary is not null) iterator.Info.ReadsMerkleHashes = summary;
        else
        {
            iterator.Info.RawReads = new QueryReads();
            iterator.Info.RawReads.KvReads.AddRange(raw);
        }
        _rangeQueries.Add(iterator.Info);
    }

    /// <summary>An open query: its snapshot of results and, for a range query, what the read set records.</summary>
    private sealed class QueryIterator(List<ByteString> results, RangeQueryInfo? info, RangeQueryResults? hasher)
    {
        private readonly string _originalEnd = info?.EndKey ?? "";

        public List<ByteString> Results { get; } = results;
        public RangeQueryInfo? Info { get; } = info;
        public RangeQueryResults? Hasher { get; } = hasher;
        public List<Ledger.Version> Versions { get; init; } = [];
        public QueryResponseMetadata? Metadata { get; init; }
        public int Position { get; set; }
        public bool Finished { get; set; }

        // Fabric moves the recorded end key to the last key handed out until the iterator is exhausted.
        public void Delivered(int index)
        {
            if (Info is null || Hasher is null) return;
            var kv = KV.Parser.ParseFrom(Results[index]);
            Hasher.Add(new KVRead { Key = kv.Key, Version = Versions[index].ToProto() });
            Info.EndKey = kv.Key;
        }

        public void Exhausted()
        {
            if (Info is null) return;
            Info.ItrExhausted = true;
            Info.EndKey = _originalEnd;
        }
    }
}
