using System.Collections.Concurrent;
using Rwset;

namespace Fabric.Network.PrivateData;

/// <summary>
/// Hands an endorsement's private data to the organisations' peers in this process, in place of gossip: each
/// collection's data goes only to member organisations (the endorser's own if it is one, and at most maxPeerCount others,
/// and at least requiredPeerCount, or the endorsement fails). Peers keep it in their transient store until the
/// transaction commits; a member peer that was not handed the data fetches it from another peer at commit.
/// </summary>
public sealed class PrivateDataDistributor(ChannelCollections collections, IReadOnlyList<string> peerMspIds)
{
    /// <summary>Blocks a transaction's private data waits in the transient stores (Fabric's transientstoreMaxBlockRetention).</summary>
    public const ulong MaxBlockRetention = 1000;

    private readonly ConcurrentDictionary<(string MspId, string TxId), ConcurrentDictionary<(string Ns, string Collection), CollectionPvtReadWriteSet>> _transient = new();
    private readonly ConcurrentDictionary<string, ulong> _storedAtHeight = new();

    /// <summary>Stores <paramref name="privateData"/> at the endorser and disseminates it; throws <see cref="InvalidOperationException"/> as Fabric words a failed dissemination.</summary>
    public void Distribute(string endorserMspId, string channel, string txId, TxPvtReadWriteSet privateData, ulong ledgerHeight)
    {
        _storedAtHeight.TryAdd(txId, ledgerHeight);
        foreach (var ns in privateData.NsPvtRwset)
        {
            foreach (var set in ns.CollectionPvtRwset)
            {
                var config = collections.Find(ns.Namespace, set.CollectionName)
                    ?? throw new InvalidOperationException($"collection [{set.CollectionName}] not defined in the collection config for namespace [{ns.Namespace}]");
                var others = peerMspIds.Where(m => m != endorserMspId && config.IsMember(m)).ToList();
                if (others.Count < config.RequiredPeerCount)
                    throw new InvalidOperationException($"failed to distribute private collection, txID {txId}, channel {channel}: could not build private data dissemination plan for chaincode {ns.Namespace} and collection {set.CollectionName}: required to disseminate to at least {config.RequiredPeerCount} peers, but know of only {others.Count} eligible peers");
                if (config.IsMember(endorserMspId)) Store(endorserMspId, txId, ns.Namespace, set);
                foreach (var msp in others.Take(config.MaxPeerCount)) Store(msp, txId, ns.Namespace, set);
            }
        }
    }

    /// <summary>A collection's private write set for a transaction: from the peer's own transient store, else fetched from another peer's.</summary>
    public CollectionPvtReadWriteSet? Find(string mspId, string txId, string ns, string collection)
    {
        if (_transient.TryGetValue((mspId, txId), out var own) && own.TryGetValue((ns, collection), out var set)) return set;
        foreach (var other in peerMspIds)
            if (_transient.TryGetValue((other, txId), out var theirs) && theirs.TryGetValue((ns, collection), out set)) return set;
        return null;
    }

    /// <summary>What a peer holds in its transient store for a transaction (for tests and diagnostics).</summary>
    public IReadOnlyCollection<(string Ns, string Collection)> Held(string mspId, string txId) =>
        _transient.TryGetValue((mspId, txId), out var held) ? held.Keys.ToList() : [];

    /// <summary>Drops a committed transaction's private data from every transient store.</summary>
    public void Forget(string txId)
    {
        foreach (var msp in peerMspIds) _transient.TryRemove((msp, txId), out _);
        _storedAtHeight.TryRemove(txId, out _);
    }

    /// <summary>Drops private data of transactions endorsed more than <see cref="MaxBlockRetention"/> blocks before <paramref name="height"/> and never committed.</summary>
    public void PurgeStale(ulong height)
    {
        foreach (var (txId, storedAt) in _storedAtHeight)
            if (storedAt + MaxBlockRetention < height) Forget(txId);
    }

    private void Store(string mspId, string txId, string ns, CollectionPvtReadWriteSet set) =>
        _transient.GetOrAdd((mspId, txId), _ => new()).TryAdd((ns, set.CollectionName), set);
}
