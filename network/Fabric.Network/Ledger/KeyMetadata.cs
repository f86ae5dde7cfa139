using System.Collections.Concurrent;
using System.Collections.Frozen;
using Google.Protobuf;

namespace Fabric.Network.Ledger;

/// <summary>
/// A key's metadata entries as the world state keeps them. A channel's keys carry few distinct entries (each owner's
/// key-level endorsement policy), so a single entry is shared by every key that has the same one: a million
/// entitlements then hold one dictionary, not a million (each one several objects for the collector to mark).
/// </summary>
public static class KeyMetadata
{
    // Bounded, so that keys with distinct metadata each (none in Fabric's own use) cannot grow it without end.
    private const int MaxShared = 1024;
    private static readonly ConcurrentDictionary<(string Name, ByteString Value), IReadOnlyDictionary<string, ByteString>> Shared = new();

    /// <summary>The entries with a value (an empty value removes the entry, as in Fabric).</summary>
    public static IReadOnlyDictionary<string, ByteString> Of(IEnumerable<Kvrwset.KVMetadataEntry> entries)
    {
        var kept = entries.Where(e => !e.Value.IsEmpty).ToList();
        if (kept.Count == 0) return VersionedValue.NoMetadata;
        if (kept.Count > 1) return kept.ToFrozenDictionary(e => e.Name, e => e.Value);
        var key = (kept[0].Name, kept[0].Value);
        if (Shared.TryGetValue(key, out var shared)) return shared;
        var single = new Dictionary<string, ByteString> { [key.Name] = key.Value }.ToFrozenDictionary();
        return Shared.Count < MaxShared ? Shared.GetOrAdd(key, single) : single;
    }
}
