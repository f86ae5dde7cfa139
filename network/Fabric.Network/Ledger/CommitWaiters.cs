namespace Fabric.Network.Ledger;

/// <summary>
/// Callers waiting for a transaction to commit, by transaction id. A caller that stops waiting (its deadline passed,
/// it hung up) is forgotten once nobody else waits for that id: commit-status checks for transactions that never
/// reach a block (a submit lost before the orderer, a client's guess) must not pile up for the life of the peer.
/// </summary>
internal sealed class CommitWaiters
{
    private sealed class Waiter
    {
        public readonly TaskCompletionSource<CommittedTransaction> Committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Callers;
    }

    private readonly Dictionary<string, Waiter> _byTxId = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>How many transaction ids someone is waiting for.</summary>
    public int Count { get { lock (_lock) return _byTxId.Count; } }

    /// <param name="alreadyCommitted">Checked after the caller is registered, so a commit between the caller's own
    /// check and its registration is not missed.</param>
    public async Task<CommittedTransaction> WaitAsync(string txId, Func<CommittedTransaction?> alreadyCommitted, CancellationToken ct)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (!_byTxId.TryGetValue(txId, out waiter!)) _byTxId[txId] = waiter = new Waiter();
            waiter.Callers++;
        }
        try
        {
            if (alreadyCommitted() is { } done) waiter.Committed.TrySetResult(done);
            return await waiter.Committed.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                if (--waiter.Callers == 0 && _byTxId.TryGetValue(txId, out var current) && current == waiter) _byTxId.Remove(txId);
            }
        }
    }

    /// <summary>Completes every wait for <paramref name="txId"/>.</summary>
    public void Release(string txId, CommittedTransaction committed)
    {
        Waiter? waiter;
        lock (_lock) _byTxId.Remove(txId, out waiter);
        waiter?.Committed.TrySetResult(committed);
    }
}
