using Kvrwset;
using Rwset;

namespace Fabric.Network.PrivateData;

/// <summary>
/// The private data a peer hands out with a block (<c>DeliverWithPrivateData</c>), as Fabric's deliver service does:
/// the write sets its organisation stored for the block's transactions, of the collections whose members include the
/// requester's organisation, without data whose blockToLive has passed or whose key was purged since.
/// </summary>
public sealed partial class PrivateDataCommit
{
    // The last purge of each hashed key (block, transaction): a purge removes every version committed before it.
    private readonly Dictionary<(string HashedNamespace, string HashedKey), (ulong BlockNum, ulong TxNum)> _purgedAt = new();

    /// <summary>
    /// The private write sets of block <paramref name="blockNum"/> that <paramref name="peerMspId"/>'s peer holds and
    /// a member of <paramref name="requesterMspId"/> may read, by the transaction's index in the block, with the
    /// channel at <paramref name="height"/> blocks.
    /// </summary>
    public Dictionary<ulong, TxPvtReadWriteSet> ForDelivery(string peerMspId, ulong blockNum, ulong height, string requesterMspId)
    {
        var result = new Dictionary<ulong, TxPvtReadWriteSet>();
        if (!_stores.TryGetValue(peerMspId, out var store)) return result;
        foreach (var record in store.ReadBlock(blockNum))
        {
            if (collections.Find(record.Chaincode, record.Collection)?.IsMember(requesterMspId) != true) continue;
            if (Retained(record, height)?.Rwset is not { } rwset) continue;
            if (!result.TryGetValue(record.TxNum, out var tx)) result[record.TxNum] = tx = new TxPvtReadWriteSet { DataModel = TxReadWriteSet.Types.DataModel.Kv };
            var ns = tx.NsPvtRwset.FirstOrDefault(n => n.Namespace == record.Chaincode);
            if (ns is null) tx.NsPvtRwset.Add(ns = new NsPvtReadWriteSet { Namespace = record.Chaincode });
            ns.CollectionPvtRwset.Add(new CollectionPvtReadWriteSet { CollectionName = record.Collection, Rwset = rwset });
        }
        return result;
    }

    /// <summary>
    /// What Fabric still holds of a stored write set with the channel at <paramref name="height"/> blocks: nothing once
    /// its blockToLive has passed (written in block B with blockToLive N: gone once block B+N+1 is committed), and
    /// without the writes of keys purged after it; null when nothing is left.
    /// </summary>
    private StoredPrivateWrites? Retained(StoredPrivateWrites record, ulong height)
    {
        if (collections.Find(record.Chaincode, record.Collection) is { BlockToLive: > 0 } config && height > record.BlockNum + config.BlockToLive + 1) return null;
        var rwset = Unpurged(record);
        return rwset is null ? null : rwset == record.Rwset ? record : record with { Rwset = rwset };
    }

    private void NotePurge(string hashedNamespace, string hashedKey, Ledger.Version purge)
    {
        lock (_lock) _purgedAt[(hashedNamespace, hashedKey)] = (purge.BlockNum, purge.TxNum);
    }

    // The record's write set without the writes of keys purged after it was written; null when none is left.
    private Google.Protobuf.ByteString? Unpurged(StoredPrivateWrites record)
    {
        var hashedNs = PrivateDataKeys.HashedNamespace(record.Chaincode, record.Collection);
        var set = KVRWSet.Parser.ParseFrom(record.Rwset);
        bool Purged(KVWrite w)
        {
            lock (_lock)
                return _purgedAt.TryGetValue((hashedNs, PrivateDataKeys.HashedStateKey(PrivateDataKeys.KeyHash(w.Key))), out var at)
                    && (at.BlockNum, at.TxNum).CompareTo((record.BlockNum, record.TxNum)) > 0;
        }
        var kept = set.Writes.Where(w => !Purged(w)).ToList();
        if (kept.Count == set.Writes.Count) return record.Rwset;
        if (kept.Count == 0) return null;
        var filtered = set.Clone();
        filtered.Writes.Clear();
        filtered.Writes.AddRange(kept);
        return Google.Protobuf.MessageExtensions.ToByteString(filtered);
    }
}
