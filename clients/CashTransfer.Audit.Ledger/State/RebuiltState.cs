using Google.Protobuf;
using Kvrwset;

namespace CashTransfer.Audit.Ledger.State;

/// <summary>One key of the rebuilt world state: its value, the version Fabric gives it (block, tx) and the writer.</summary>
public sealed record StateEntry(ByteString Value, ulong BlockNumber, ulong TxNumber, string TxId);

/// <summary>
/// The world state rebuilt from the write sets of valid transactions, in commit order, with versions as Fabric
/// keeps them (so read sets can be checked) and key-level endorsement policies (the VALIDATION_PARAMETER metadata).
/// </summary>
public sealed class RebuiltState
{
    /// <summary>The metadata entry that holds a key-level (state-based) endorsement policy.</summary>
    public const string ValidationParameter = "VALIDATION_PARAMETER";

    private readonly Dictionary<(string Namespace, string Key), StateEntry> _values = new();
    private readonly Dictionary<(string Namespace, string Key), ByteString> _keyPolicies = new();

    public StateEntry? Get(string ns, string key) => _values.GetValueOrDefault((ns, key));

    /// <summary>The serialized SignaturePolicyEnvelope guarding a key, or null when the key has none.</summary>
    public ByteString? KeyPolicy(string ns, string key) => _keyPolicies.GetValueOrDefault((ns, key));

    /// <summary>Every key of a namespace, in ordinal order.</summary>
    public IEnumerable<(string Key, StateEntry Entry)> Keys(string ns) =>
        _values.Where(kv => kv.Key.Namespace == ns).OrderBy(kv => kv.Key.Key, StringComparer.Ordinal).Select(kv => (kv.Key.Key, kv.Value));

    public int Count => _values.Count;

    /// <summary>Applies one valid transaction's public writes and metadata writes to a namespace.</summary>
    public void Apply(string ns, KVRWSet set, ulong blockNumber, ulong txNumber, string txId)
    {
        foreach (var write in set.Writes)
        {
            if (write.IsDelete)
            {
                _values.Remove((ns, write.Key));
                _keyPolicies.Remove((ns, write.Key));
            }
            else
            {
                _values[(ns, write.Key)] = new StateEntry(write.Value, blockNumber, txNumber, txId);
            }
        }
        foreach (var metadata in set.MetadataWrites)
        {
            var parameter = metadata.Entries.FirstOrDefault(e => e.Name == ValidationParameter);
            if (parameter is null || parameter.Value.IsEmpty) _keyPolicies.Remove((ns, metadata.Key));
            else _keyPolicies[(ns, metadata.Key)] = parameter.Value;
        }
    }
}
