using System.Security.Cryptography;
using Fabric.Network.Ledger;
using Fabric.Network.PrivateData;
using Google.Protobuf;
using Kvrwset;
using Protos;

namespace Fabric.Network.Endorsing;

/// <summary>
/// Private data in a simulation, as Fabric's simulator records it: reads become hashed reads (key hash and
/// version) in the public read-write set; writes go to the private read-write set, with their key and value
/// hashes in the public one. A peer reads its own organisation's copy, which must match the committed hash's
/// version (a peer outside the collection has no copy).
/// </summary>
public sealed partial class TxSimulator
{
    private readonly ChannelCollections _collections = ChannelCollections.None;
    private readonly string _peerMspId = "";
    private readonly string _creatorMspId = "";
    private readonly SortedDictionary<string, SortedDictionary<string, KVReadHash>> _hashedReads = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedDictionary<string, (KVWrite Write, bool Purge)>> _privateWrites = new(StringComparer.Ordinal);
    private bool _privateQueried;

    /// <summary>The private read-write set (writes by collection) after <see cref="BuildReadWriteSet"/>; null when there is none.</summary>
    public Rwset.TxPvtReadWriteSet? PrivateReadWriteSet { get; private set; }

    public ByteString GetPrivateData(string collection, string key)
    {
        var config = Collection(collection);
        if (config.MemberOnlyRead && !config.IsMember(_creatorMspId))
            throw new InvalidOperationException($"tx creator does not have read access permission on privatedata in chaincodeName:{_namespace} collectionName: {collection}");
        var keyHash = PrivateDataKeys.KeyHash(key);
        var (hashed, own) = _state.GetPair(PrivateDataKeys.HashedNamespace(_namespace, collection), PrivateDataKeys.HashedStateKey(keyHash),
            PrivateDataKeys.PrivateNamespace(_namespace, collection, _peerMspId), key);
        if (hashed?.Version != own?.Version)
            throw new InvalidOperationException($"private data matching public hash version is not available. Public hash version = {Describe(hashed?.Version)}, Private data version = {Describe(own?.Version)}");
        RecordHashedRead(collection, key, keyHash, hashed?.Version);
        return own?.Value ?? ByteString.Empty;
    }

    /// <summary>SHA-256 of the committed value; every peer of the channel has it, member or not.</summary>
    public ByteString GetPrivateDataHash(string collection, string key)
    {
        Collection(collection);
        var keyHash = PrivateDataKeys.KeyHash(key);
        var hashed = _state.Get(PrivateDataKeys.HashedNamespace(_namespace, collection), PrivateDataKeys.HashedStateKey(keyHash));
        RecordHashedRead(collection, key, keyHash, hashed?.Version);
        return hashed?.Value ?? ByteString.Empty;
    }

    public void PutPrivateData(string collection, string key, ByteString value) =>
        WritePrivate(collection, key, new KVWrite { Key = key, Value = value, IsDelete = value.IsEmpty }, purge: false);

    public void DelPrivateData(string collection, string key) =>
        WritePrivate(collection, key, new KVWrite { Key = key, IsDelete = true }, purge: false);

    /// <summary>Deletes the key and, at commit, every peer's copy of every earlier version of it.</summary>
    public void PurgePrivateData(string collection, string key) =>
        WritePrivate(collection, key, new KVWrite { Key = key, IsDelete = true }, purge: true);

    /// <summary>
    /// A range of this peer's copy of a collection. Not re-checked at commit, so, as on Fabric, only a transaction that
    /// writes nothing may query private data: no write before the query, and none after it.
    /// </summary>
    public QueryResponse StartPrivateRange(string collection, string startKey, string endKey)
    {
        var config = Collection(collection);
        if (config.MemberOnlyRead && !config.IsMember(_creatorMspId))
            throw new InvalidOperationException($"tx creator does not have read access permission on privatedata in chaincodeName:{_namespace} collectionName: {collection}");
        if (HasWrites)
            throw new InvalidOperationException($"txid [{TxId}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction");
        _privateQueried = true;
        if (endKey.Length > 0 && Utf8OrdinalComparer.Instance.Compare(startKey, endKey) > 0)
            throw new InvalidOperationException($"the start key '{startKey}' is after the end key '{endKey}'");
        var results = _state.Range(PrivateDataKeys.PrivateNamespace(_namespace, collection, _peerMspId), startKey, endKey);
        var id = Guid.NewGuid().ToString();
        var iterator = new QueryIterator(results.Select(kv => Kv(kv.Key, kv.Value)).ToList(), null, null);
        _iterators[id] = iterator;
        return NextBatch(id, iterator);
    }

    private PrivateCollection Collection(string collection) =>
        _collections.Find(_namespace, collection)
        ?? throw new InvalidOperationException($"collection [{collection}] not defined in the collection config for namespace [{_namespace}]");

    private void WritePrivate(string collection, string key, KVWrite write, bool purge)
    {
        var config = Collection(collection);
        CheckWritable(key);
        if (config.MemberOnlyWrite && !config.IsMember(_creatorMspId))
            throw new InvalidOperationException($"tx creator does not have write access permission on privatedata in chaincodeName:{_namespace} collectionName: {collection}");
        if (!_privateWrites.TryGetValue(collection, out var writes))
            _privateWrites[collection] = writes = new SortedDictionary<string, (KVWrite, bool)>(Utf8OrdinalComparer.Instance);
        writes[key] = (write, purge);
    }

    private void RecordHashedRead(string collection, string key, byte[] keyHash, Ledger.Version? version)
    {
        if (!_hashedReads.TryGetValue(collection, out var reads))
            _hashedReads[collection] = reads = new SortedDictionary<string, KVReadHash>(Utf8OrdinalComparer.Instance);
        reads.TryAdd(key, new KVReadHash { KeyHash = ByteString.CopyFrom(keyHash), Version = version?.ToProto() });
    }

    // Adds collection_hashed_rwset to the namespace and builds the matching private read-write set.
    private void AddPrivateData(Rwset.NsReadWriteSet nsSet)
    {
        var collections = _hashedReads.Keys.Union(_privateWrites.Keys).Order(StringComparer.Ordinal).ToList();
        if (collections.Count == 0) return;
        var nsPrivate = new Rwset.NsPvtReadWriteSet { Namespace = _namespace };
        foreach (var collection in collections)
        {
            var hashed = new HashedRWSet();
            if (_hashedReads.TryGetValue(collection, out var reads)) hashed.HashedReads.AddRange(reads.Values);
            var entry = new Rwset.CollectionHashedReadWriteSet { CollectionName = collection };
            if (_privateWrites.TryGetValue(collection, out var writes))
            {
                var privateSet = new KVRWSet();
                foreach (var (key, (write, purge)) in writes)
                {
                    privateSet.Writes.Add(write);
                    var hash = new KVWriteHash
                    {
                        KeyHash = ByteString.CopyFrom(PrivateDataKeys.KeyHash(key)),
                        IsDelete = write.IsDelete,
                        ValueHash = write.IsDelete ? ByteString.Empty : PrivateDataKeys.ValueHash(write.Value),
                    };
                    hashed.HashedWrites.Add(purge ? PurgeMark.Mark(hash) : hash);
                }
                var privateBytes = privateSet.ToByteString();
                entry.PvtRwsetHash = ByteString.CopyFrom(SHA256.HashData(privateBytes.Span));
                nsPrivate.CollectionPvtRwset.Add(new Rwset.CollectionPvtReadWriteSet { CollectionName = collection, Rwset = privateBytes });
            }
            entry.HashedRwset = hashed.ToByteString();
            nsSet.CollectionHashedRwset.Add(entry);
        }
        if (nsPrivate.CollectionPvtRwset.Count > 0)
        {
            PrivateReadWriteSet = new Rwset.TxPvtReadWriteSet { DataModel = Rwset.TxReadWriteSet.Types.DataModel.Kv };
            PrivateReadWriteSet.NsPvtRwset.Add(nsPrivate);
        }
    }

    // As Fabric prints a version in this error.
    private static string Describe(Ledger.Version? version) =>
        version is { } v ? $"{{BlockNum: {v.BlockNum}, TxNum: {v.TxNum}}}" : "<nil>";
}
