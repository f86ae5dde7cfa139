using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Fabric.Network.Ledger;

/// <summary>One committed change of a key, as GetHistoryForKey reports it.</summary>
public sealed record HistoryEntry(string TxId, ByteString Value, bool IsDelete, Google.Protobuf.WellKnownTypes.Timestamp Timestamp, Version Version);

/// <summary>
/// Every committed value write and delete per key, oldest first; rebuilt from the blocks at start. Most keys are written
/// once (an issued entitlement, an index entry), so a key's only entry is kept as it is and a list is made at its second:
/// a million such keys are then a million objects fewer for the collector to mark.
/// </summary>
public sealed class HistoryIndex
{
    private readonly Dictionary<(string, string), object> _entries = new();
    private readonly Lock _lock = new();

    public void Add(string ns, string key, HistoryEntry entry)
    {
        lock (_lock)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, (ns, key), out var existed);
            if (!existed) slot = entry;
            else if (slot is List<HistoryEntry> list) list.Add(entry);
            else slot = new List<HistoryEntry> { (HistoryEntry)slot!, entry };
        }
    }

    /// <summary>Newest first, as Fabric returns history.</summary>
    public IReadOnlyList<HistoryEntry> For(string ns, string key)
    {
        lock (_lock)
        {
            return _entries.GetValueOrDefault((ns, key)) switch
            {
                HistoryEntry only => [only],
                List<HistoryEntry> list => Enumerable.Reverse(list).ToList(),
                _ => [],
            };
        }
    }

    public void Clear()
    {
        lock (_lock) _entries.Clear();
    }
}
