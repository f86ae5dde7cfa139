using System.Collections.Concurrent;

namespace Fabric.Shim.Contracts;

/// <summary>
/// The submitters of recent transactions, each read once: reading the creator's certificate for every transaction
/// cost the chaincode about a sixth of its CPU (certificate parsing, then the finalizer releasing the certificates'
/// native handles). A channel has few submitters; when the cache reaches its bound it starts afresh, so a stream of
/// distinct creators costs what it did without it. <see cref="ClientIdentity"/> is immutable, so transactions share it.
/// </summary>
internal sealed class ClientIdentityCache(int capacity = 256)
{
    private readonly ConcurrentDictionary<string, ClientIdentity> _identities = new(StringComparer.Ordinal);

    /// <summary>The identity of a serialized creator; throws as <see cref="ClientIdentity.FromCreator"/> for one it cannot read.</summary>
    public ClientIdentity Get(ReadOnlySpan<byte> creator)
    {
        var key = Convert.ToBase64String(creator);
        if (_identities.TryGetValue(key, out var known)) return known;
        var identity = ClientIdentity.FromCreator(creator);
        if (_identities.Count >= capacity) _identities.Clear();
        _identities.TryAdd(key, identity);
        return identity;
    }
}
