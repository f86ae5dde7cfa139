using System.Security.Cryptography;
using Fabric.Network.Ledger;
using Fabric.Protocol.Transactions;
using Kvrwset;
using Rwset;

namespace Fabric.Network.PrivateData;

/// <summary>
/// The committer's side of private data, as Fabric's: every peer applies a valid transaction's hashed writes
/// (SHA-256 of key and value) to its hashed state; each member organisation's peer stores the private values
/// whose write set matches the pvt_rwset_hash on the channel; a purge removes the key from every peer; data of
/// a collection with blockToLive N written in block B expires when block B+N+1 commits.
/// </summary>
public sealed partial class PrivateDataCommit(ChannelCollections collections, IReadOnlyList<string> peerMspIds, PrivateDataDistributor? source)
{
    private readonly Dictionary<ulong, List<Expiring>> _expiries = new();
    private readonly Lock _lock = new();

    public ChannelCollections Collections => collections;

    /// <summary>Adds the private data updates of a valid transaction (transaction <paramref name="version"/>) to <paramref name="batch"/>.</summary>
    public void AddTo(UpdateBatch batch, WorldState state, EndorsedAction action, string txId, Ledger.Version version)
    {
        foreach (var ns in action.Namespaces)
        {
            foreach (var collection in ns.Raw.CollectionHashedRwset)
            {
                var hashed = HashedRWSet.Parser.ParseFrom(collection.HashedRwset);
                if (hashed.HashedWrites.Count == 0) continue;
                var hashedNs = PrivateDataKeys.HashedNamespace(ns.Namespace, collection.CollectionName);
                var config = collections.Find(ns.Namespace, collection.CollectionName);
                var members = peerMspIds.Where(m => config?.IsMember(m) == true).ToList();
                // Each member organisation's own copy: at commit from the transient stores, at replay from its private data file.
                var privateWrites = members.ToDictionary(m => m, m => PrivateWrites(m, txId, version, ns.Namespace, collection));
                foreach (var write in hashed.HashedWrites)
                {
                    var hashedKey = PrivateDataKeys.HashedStateKey(write.KeyHash.Span);
                    var key = members.Select(m => privateWrites[m].GetValueOrDefault(hashedKey)?.Key).FirstOrDefault(k => k is not null);
                    if (PurgeMark.IsPurge(write)) NotePurge(hashedNs, hashedKey, version);
                    if (write.IsDelete)
                    {
                        batch.Add(new StateUpdate(hashedNs, hashedKey, null, false, txId));
                    }
                    else
                    {
                        batch.Add(new StateUpdate(hashedNs, hashedKey, new VersionedValue(write.ValueHash, VersionedValue.NoMetadata, version), false, txId));
                        if (config is { BlockToLive: > 0 })
                            Schedule(version.BlockNum + config.BlockToLive + 1, new Expiring(hashedNs, hashedKey, ns.Namespace, collection.CollectionName, key, version));
                    }
                    foreach (var msp in members)
                    {
                        if (!privateWrites[msp].TryGetValue(hashedKey, out var plain)) continue;
                        var privateNs = PrivateDataKeys.PrivateNamespace(ns.Namespace, collection.CollectionName, msp);
                        var value = plain.IsDelete ? null : new VersionedValue(plain.Value, VersionedValue.NoMetadata, version);
                        batch.Add(new StateUpdate(privateNs, plain.Key, value, false, txId, IsPrivate: true));
                    }
                }
            }
        }
    }

    /// <summary>Deletes, in <paramref name="batch"/>, the private data whose blockToLive ends with block <paramref name="blockNum"/> (unless rewritten since).</summary>
    public void Expire(UpdateBatch batch, WorldState state, ulong blockNum)
    {
        List<Expiring>? due;
        lock (_lock) _expiries.Remove(blockNum, out due);
        foreach (var e in due ?? [])
        {
            if (TransactionWrites.Current(batch, state, e.HashedNamespace, e.HashedKey)?.Version != e.Version) continue;
            batch.Add(new StateUpdate(e.HashedNamespace, e.HashedKey, null, false, "expiry"));
            if (e.Key is null) continue;
            foreach (var msp in peerMspIds)
                batch.Add(new StateUpdate(PrivateDataKeys.PrivateNamespace(e.Chaincode, e.Collection, msp), e.Key, null, false, "expiry", IsPrivate: true));
        }
    }

    /// <summary>The transaction is committed (valid or not): peers drop it from their transient stores.</summary>
    public void Forget(string txId) => source?.Forget(txId);

    /// <summary>Block <paramref name="blockNum"/> is validated: private data endorsed long before and never committed is dropped.</summary>
    public void BlockDone(ulong blockNum) => source?.PurgeStale(blockNum + 1);

    // The private writes of one collection by hashed key, when the organisation's peer holds (or, live, can fetch
    // from another peer) data matching the channel's hash; data fetched live is queued for its private data file.
    private Dictionary<string, KVWrite> PrivateWrites(string mspId, string txId, Ledger.Version version, string ns, CollectionHashedReadWriteSet collection)
    {
        var result = new Dictionary<string, KVWrite>(StringComparer.Ordinal);
        if (collection.PvtRwsetHash.IsEmpty) return result;
        var rwset = Recovered(mspId, version, ns, collection.CollectionName);
        bool replayed = rwset is not null;
        rwset ??= source?.Find(mspId, txId, ns, collection.CollectionName)?.Rwset;
        if (rwset is null || !SHA256.HashData(rwset.Span).AsSpan().SequenceEqual(collection.PvtRwsetHash.Span)) return result;
        if (!replayed) Queue(mspId, new StoredPrivateWrites(version.BlockNum, version.TxNum, ns, collection.CollectionName, rwset));
        foreach (var write in KVRWSet.Parser.ParseFrom(rwset).Writes)
            result[PrivateDataKeys.HashedStateKey(PrivateDataKeys.KeyHash(write.Key))] = write;
        return result;
    }

    private void Schedule(ulong block, Expiring entry)
    {
        lock (_lock)
        {
            if (!_expiries.TryGetValue(block, out var list)) _expiries[block] = list = [];
            list.Add(entry);
        }
    }

    private sealed record Expiring(string HashedNamespace, string HashedKey, string Chaincode, string Collection, string? Key, Ledger.Version Version);
}
