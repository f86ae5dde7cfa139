using Fabric.Protocol.Transactions;
using Fabric.Network.Blocks;
using Fabric.Network.Ledger;
using Fabric.Network.PrivateData;
using Kvrwset;
using Protos;

namespace Fabric.Network.Validation;

/// <summary>
/// Fabric's MVCC check: every key read must still have the version it had at endorsement (or still be
/// absent), and no key read may have been written by an earlier valid transaction in the same block.
/// Range queries are re-executed over the committed state plus the block's earlier writes; any
/// difference from the recorded results (raw reads or merkle summary) is a phantom read.
/// </summary>
public static class ReadSetValidator
{
    public static TxValidationCode Validate(IReadOnlyList<NamespaceReadWriteSet> sets, WorldState state, UpdateBatch batch)
    {
        foreach (var ns in sets)
        {
            foreach (var read in ns.Set.Reads)
            {
                if (batch.Latest(ns.Namespace, read.Key) is not null) return TxValidationCode.MvccReadConflict;
                var committed = state.Get(ns.Namespace, read.Key)?.Version;
                var recorded = Ledger.Version.FromProto(read.Version);
                if (committed != recorded) return TxValidationCode.MvccReadConflict;
            }
            foreach (var collection in ns.Raw.CollectionHashedRwset)
            {
                var hashedNs = PrivateDataKeys.HashedNamespace(ns.Namespace, collection.CollectionName);
                foreach (var read in HashedRWSet.Parser.ParseFrom(collection.HashedRwset).HashedReads)
                {
                    var key = PrivateDataKeys.HashedStateKey(read.KeyHash.Span);
                    if (batch.Latest(hashedNs, key) is not null) return TxValidationCode.MvccReadConflict;
                    if (state.Get(hashedNs, key)?.Version != Ledger.Version.FromProto(read.Version)) return TxValidationCode.MvccReadConflict;
                }
            }
            foreach (var query in ns.Set.RangeQueriesInfo)
            {
                if (!RangeStillMatches(ns.Namespace, query, state, batch)) return TxValidationCode.PhantomReadConflict;
            }
        }
        return TxValidationCode.Valid;
    }

    private static bool RangeStillMatches(string ns, RangeQueryInfo query, WorldState state, UpdateBatch batch)
    {
        bool includeEnd = !query.ItrExhausted;
        var merged = new SortedDictionary<string, Ledger.Version?>(Utf8OrdinalComparer.Instance);
        foreach (var (key, value) in state.Range(ns, query.StartKey, query.EndKey, includeEnd)) merged[key] = value.Version;
        foreach (var update in batch.LatestIn(ns))
        {
            if (!InRange(update.Key, query.StartKey, query.EndKey, includeEnd)) continue;
            if (update.NewValue is null) merged.Remove(update.Key);
            else merged[update.Key] = update.NewValue.Version;
        }

        var results = new RangeQueryResults(query.ReadsMerkleHashes is { } m ? (int)m.MaxDegree : RangeQueryResults.DefaultMaxDegree);
        foreach (var (key, version) in merged)
            results.Add(new KVRead { Key = key, Version = version?.ToProto() });
        var (raw, summary) = results.Done();

        if (query.ReadsMerkleHashes is { } recorded)
            return summary is not null && summary.Equals(recorded);
        if (summary is not null) return false;
        var expected = query.RawReads?.KvReads ?? [];
        if (expected.Count != raw.Count) return false;
        for (int i = 0; i < raw.Count; i++)
            if (!raw[i].Equals(expected[i])) return false;
        return true;
    }

    private static bool InRange(string key, string start, string end, bool includeEnd)
    {
        var cmp = Utf8OrdinalComparer.Instance;
        if (cmp.Compare(key, start) < 0) return false;
        if (end.Length == 0) return true;
        int c = cmp.Compare(key, end);
        return c < 0 || (c == 0 && includeEnd);
    }
}
