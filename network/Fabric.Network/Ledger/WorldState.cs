namespace Fabric.Network.Ledger;

/// <summary>
/// The versioned key-value state of the channel, per chaincode namespace, keys in UTF-8 byte order.
/// Kept in memory and rebuilt from the block store at start.
/// </summary>
public sealed class WorldState
{
    private readonly Dictionary<string, NamespaceState> _namespaces = new();
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    public VersionedValue? Get(string ns, string key)
    {
        _lock.EnterReadLock();
        try
        {
            return _namespaces.TryGetValue(ns, out var state) ? state.Values.GetValueOrDefault(key) : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Two keys read at one instant, so that no commit falls between them (a private value and its hash).</summary>
    public (VersionedValue? First, VersionedValue? Second) GetPair(string ns1, string key1, string ns2, string key2)
    {
        _lock.EnterReadLock();
        try
        {
            return (Lookup(ns1, key1), Lookup(ns2, key2));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private VersionedValue? Lookup(string ns, string key) =>
        _namespaces.TryGetValue(ns, out var state) ? state.Values.GetValueOrDefault(key) : null;

    /// <summary>
    /// Keys in [<paramref name="startKey"/>, <paramref name="endKey"/>) in key order; an empty end key means
    /// "to the end"; <paramref name="includeEnd"/> makes the end inclusive (validation of an iterator that
    /// stopped early). The result is a snapshot.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, VersionedValue>> Range(string ns, string startKey, string endKey, bool includeEnd = false)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_namespaces.TryGetValue(ns, out var state)) return [];
            var result = new List<KeyValuePair<string, VersionedValue>>();
            foreach (var key in state.KeysFrom(startKey))
            {
                if (endKey.Length > 0)
                {
                    int c = Utf8OrdinalComparer.Instance.Compare(key, endKey);
                    if (c > 0 || (c == 0 && !includeEnd)) break;
                }
                result.Add(new(key, state.Values[key]));
            }
            return result;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Apply(UpdateBatch batch)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var update in batch.Updates)
            {
                if (!_namespaces.TryGetValue(update.Namespace, out var state))
                    _namespaces[update.Namespace] = state = new NamespaceState();
                if (update.NewValue is null)
                {
                    if (state.Values.Remove(update.Key)) state.Keys.Remove(update.Key);
                }
                else
                {
                    if (!state.Values.ContainsKey(update.Key)) state.Keys.Add(update.Key);
                    state.Values[update.Key] = update.NewValue;
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Clear()
    {
        _lock.EnterWriteLock();
        try { _namespaces.Clear(); }
        finally { _lock.ExitWriteLock(); }
    }

    private sealed class NamespaceState
    {
        public SortedSet<string> Keys { get; } = new(Utf8OrdinalComparer.Instance);
        public Dictionary<string, VersionedValue> Values { get; } = new(StringComparer.Ordinal);

        public IEnumerable<string> KeysFrom(string startKey)
        {
            if (Keys.Count == 0) return [];
            var max = Keys.Max!;
            if (Utf8OrdinalComparer.Instance.Compare(startKey, max) > 0) return [];
            return Keys.GetViewBetween(startKey, max);
        }
    }
}
