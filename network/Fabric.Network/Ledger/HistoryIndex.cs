using Google.Protobuf;

namespace Fabric.Network.Ledger;

/// <summary>One committed change of a key, as GetHistoryForKey reports it.</summary>
public sealed record HistoryEntry(string TxId, ByteString Value, bool IsDelete, Google.Protobuf.WellKnownTypes.Timestamp Timestamp, Version Version);

/// <summary>Every committed value write and delete per key, oldest first; rebuilt from the blocks at start.</summary>
public sealed class HistoryIndex
{
    private readonly Dictionary<(string, string), List<HistoryEntry>> _entries = new();
    private readonly Lock _lock = new();

    public void Add(string ns, string key, HistoryEntry entry)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue((ns, key), out var list)) _entries[(ns, key)] = list = new List<HistoryEntry>();
            list.Add(entry);
        }
    }

    /// <summary>Newest first, as Fabric returns history.</summary>
    public IReadOnlyList<HistoryEntry> For(string ns, string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue((ns, key), out var list) ? Enumerable.Reverse(list).ToList() : [];
        }
    }

    public void Clear()
    {
        lock (_lock) _entries.Clear();
    }
}
