using Fabric.Protocol.Transactions;
using Fabric.Network.Blocks;
using Google.Protobuf;

namespace Fabric.Network.Ledger;

/// <summary>Turns a valid transaction's write sets into state updates, as Fabric's committer does.</summary>
public static class TransactionWrites
{
    /// <summary>
    /// Adds the writes of <paramref name="tx"/> (transaction <paramref name="txNum"/> of block
    /// <paramref name="blockNum"/>) to <paramref name="batch"/>. A value write keeps the key's metadata; a
    /// delete drops both; a metadata write on a key that does not exist is ignored.
    /// </summary>
    public static void AddTo(UpdateBatch batch, WorldState state, TransactionEnvelope tx, ulong blockNum, ulong txNum)
    {
        if (tx.SingleAction() is not { } action) return;
        var version = new Version(blockNum, txNum);
        foreach (var ns in action.Namespaces)
        {
            var metadataWrites = ns.Set.MetadataWrites.ToDictionary(m => m.Key, m => m);
            foreach (var write in ns.Set.Writes)
            {
                if (write.IsDelete)
                {
                    batch.Add(new StateUpdate(ns.Namespace, write.Key, null, true, tx.TransactionId));
                    continue;
                }
                var metadata = metadataWrites.Remove(write.Key, out var mw) ? ToMetadata(mw) : Current(batch, state, ns.Namespace, write.Key)?.Metadata ?? VersionedValue.NoMetadata;
                batch.Add(new StateUpdate(ns.Namespace, write.Key, new VersionedValue(write.Value, metadata, version), true, tx.TransactionId));
            }
            foreach (var mw in metadataWrites.Values)
            {
                var current = Current(batch, state, ns.Namespace, mw.Key);
                if (current is null) continue;
                batch.Add(new StateUpdate(ns.Namespace, mw.Key, current with { Metadata = ToMetadata(mw), Version = version }, false, tx.TransactionId));
            }
        }
    }

    /// <summary>The key's value as of the transactions already in the batch.</summary>
    public static VersionedValue? Current(UpdateBatch batch, WorldState state, string ns, string key)
    {
        var pending = batch.Latest(ns, key);
        return pending is not null ? pending.NewValue : state.Get(ns, key);
    }

    private static IReadOnlyDictionary<string, ByteString> ToMetadata(Kvrwset.KVMetadataWrite write) => KeyMetadata.Of(write.Entries);
}
