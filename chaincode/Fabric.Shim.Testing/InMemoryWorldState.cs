using System.Security.Cryptography;
using Fabric.Shim.Stub;

namespace Fabric.Shim.Testing;

/// <summary>
/// The committed ledger of one chaincode on one channel, in memory: versioned world state, key history,
/// private data, key-level endorsement policies and chaincode events. Transactions are simulated on an
/// <see cref="InMemoryChaincodeStub"/> against the committed state and applied by <see cref="Commit"/>, which
/// validates them as Fabric's committer does (duplicate txid, key-level endorsement, MVCC, phantom reads).
/// </summary>
/// <example><code>
/// var world = new InMemoryWorldState();
/// var stub = world.NewTransaction(identity);
/// await stub.PutStateAsync("k", "v"u8.ToArray());
/// world.Commit(stub).IsValid; // true
/// </code></example>
public sealed class InMemoryWorldState
{
    private readonly SortedDictionary<string, StateEntry> _state = new(KeyOrder.Instance);
    private readonly Dictionary<string, List<KeyModification>> _history = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, StateEntry>> _private = new(StringComparer.Ordinal);
    private readonly HashSet<string> _txIds = new(StringComparer.Ordinal);
    private readonly List<ChaincodeEventRecord> _events = [];
    private readonly Dictionary<string, Func<IReadOnlyList<byte[]>, ChaincodeResponse>> _chaincodes = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public InMemoryWorldState(string channelId = "testchannel") => ChannelId = channelId;

    public string ChannelId { get; }

    /// <summary>The timestamp given to new transactions that do not set their own.</summary>
    public DateTimeOffset Clock { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Number of blocks committed (one transaction per block here).</summary>
    public long Height { get; private set; }

    /// <summary>Events of valid transactions, in commit order.</summary>
    public IReadOnlyList<ChaincodeEventRecord> Events { get { lock (_gate) return _events.ToList(); } }

    /// <summary>Starts simulating a transaction submitted by <paramref name="creator"/> against the state committed now.</summary>
    public InMemoryChaincodeStub NewTransaction(TestIdentity creator, TransactionOptions? options = null)
    {
        options ??= new TransactionOptions();
        var nonce = Fabric.Protocol.Identity.TransactionId.NewNonce();
        var creatorBytes = creator.Creator;
        var txId = options.TxId ?? Fabric.Protocol.Identity.TransactionId.Compute(nonce, creatorBytes);
        return new InMemoryChaincodeStub(this, txId, creatorBytes, Binding(nonce, creatorBytes), options.Timestamp ?? Clock, options);
    }

    /// <summary>Registers a chaincode that <see cref="IChaincodeStub.InvokeChaincodeAsync"/> can call.</summary>
    public void RegisterChaincode(string name, Func<IReadOnlyList<byte[]>, ChaincodeResponse> handler) => _chaincodes[name] = handler;

    /// <summary>Validates the simulated transaction against the state committed now and, if valid, applies its writes and event.</summary>
    public CommitResult Commit(InMemoryChaincodeStub transaction)
    {
        lock (_gate)
        {
            long block = ++Height;
            var (code, detail) = Validate(transaction);
            if (code != ValidationCode.Valid) return new CommitResult(transaction.TxId, block, code, null, detail);
            _txIds.Add(transaction.TxId);
            Apply(transaction, block);
            ChaincodeEventRecord? evt = null;
            if (transaction.Event is { } e)
            {
                evt = new ChaincodeEventRecord(block, transaction.TxId, e.Name, e.Payload);
                _events.Add(evt);
            }
            int written = transaction.Writes.Count + transaction.MetadataWrites.Count + transaction.PrivateWrites.Count + transaction.PrivateMetadataWrites.Count;
            return new CommitResult(transaction.TxId, block, code, evt, "", written);
        }
    }

    /// <summary>The committed value of a key, empty when absent.</summary>
    public byte[] GetState(string key) { lock (_gate) return _state.TryGetValue(key, out var e) ? e.Value : []; }

    /// <summary>The committed key-level endorsement policy of a key, empty when none.</summary>
    public byte[] GetValidationParameter(string key) { lock (_gate) return _state.TryGetValue(key, out var e) ? e.ValidationParameter : []; }

    /// <summary>All committed keys in Fabric's order (composite keys included).</summary>
    public IReadOnlyList<string> Keys { get { lock (_gate) return _state.Keys.ToList(); } }

    internal StateEntry? Read(string key) { lock (_gate) return _state.GetValueOrDefault(key); }

    internal StateEntry? ReadPrivate(string collection, string key)
    {
        lock (_gate) return _private.TryGetValue(collection, out var c) ? c.GetValueOrDefault(key) : null;
    }

    /// <summary>Committed entries with startKey &lt;= key &lt; endKey (endKey empty: no upper bound), in key order.</summary>
    internal List<(string Key, StateEntry Entry)> Range(string startKey, string endKey, string? collection = null)
    {
        lock (_gate)
        {
            SortedDictionary<string, StateEntry>? source = collection is null ? _state : _private.GetValueOrDefault(collection);
            if (source is null) return [];
            return source
                .Where(p => KeyOrder.Instance.Compare(p.Key, startKey) >= 0 && (endKey.Length == 0 || KeyOrder.Instance.Compare(p.Key, endKey) < 0))
                .Select(p => (p.Key, p.Value))
                .ToList();
        }
    }

    internal IReadOnlyList<KeyModification> History(string key)
    {
        lock (_gate) return _history.TryGetValue(key, out var h) ? Enumerable.Reverse(h).ToList() : [];
    }

    internal ChaincodeResponse Invoke(string name, IReadOnlyList<byte[]> args) =>
        _chaincodes.TryGetValue(name, out var handler)
            ? handler(args)
            : ChaincodeResponse.Error($"Chaincode {name} is not registered with this in-memory world state.");

    private (ValidationCode, string) Validate(InMemoryChaincodeStub tx)
    {
        if (_txIds.Contains(tx.TxId)) return (ValidationCode.DuplicateTxId, $"txid {tx.TxId} was already committed");
        if (tx.Options.Endorsers is { } endorsers)
        {
            foreach (var key in tx.Writes.Keys.Concat(tx.MetadataWrites.Keys).Distinct())
            {
                var policy = _state.TryGetValue(key, out var entry) ? entry.ValidationParameter : [];
                if (policy.Length > 0 && !SignaturePolicyEvaluator.IsSatisfied(policy, endorsers))
                    return (ValidationCode.EndorsementPolicyFailure, $"key-level endorsement policy of {Printable(key)} not satisfied by [{string.Join(", ", endorsers)}]");
            }
        }
        foreach (var (key, version) in tx.Reads)
        {
            long? committed = _state.TryGetValue(key, out var entry) ? entry.Version : null;
            if (committed != version) return (ValidationCode.MvccReadConflict, $"read of {Printable(key)} at version {version?.ToString() ?? "none"}, committed is {committed?.ToString() ?? "none"}");
        }
        foreach (var ((collection, key), version) in tx.PrivateReads)
        {
            long? committed = ReadPrivate(collection, key)?.Version;
            if (committed != version) return (ValidationCode.MvccReadConflict, $"read of private {collection}/{Printable(key)} is stale");
        }
        foreach (var range in tx.RangeReads)
        {
            // A range that was not read to the end is re-checked only up to the last key the transaction saw.
            string end = range.Exhausted || range.Seen.Count == 0 ? range.EndKey : range.Seen[^1].Key + "\0";
            var now = Range(range.StartKey, end).Select(p => (p.Key, p.Entry.Version)).ToList();
            if (!now.SequenceEqual(range.Seen)) return (ValidationCode.PhantomReadConflict, $"range [{Printable(range.StartKey)}, {Printable(range.EndKey)}) changed");
        }
        return (ValidationCode.Valid, "");
    }

    private void Apply(InMemoryChaincodeStub tx, long version)
    {
        foreach (var (key, value) in tx.Writes)
        {
            var history = _history.TryGetValue(key, out var h) ? h : _history[key] = [];
            if (value.Length == 0)
            {
                _state.Remove(key);
                history.Add(new KeyModification(tx.TxId, [], tx.TxTimestamp, IsDelete: true));
            }
            else
            {
                var policy = _state.TryGetValue(key, out var old) ? old.ValidationParameter : [];
                _state[key] = new StateEntry(value, version, policy);
                history.Add(new KeyModification(tx.TxId, value, tx.TxTimestamp, IsDelete: false));
            }
        }
        foreach (var (key, policy) in tx.MetadataWrites)
        {
            // Fabric keeps metadata only on keys that exist after the transaction.
            if (_state.TryGetValue(key, out var entry)) _state[key] = entry with { ValidationParameter = policy, Version = version };
        }
        foreach (var ((collection, key), value) in tx.PrivateWrites)
        {
            var store = _private.TryGetValue(collection, out var c) ? c : _private[collection] = new SortedDictionary<string, StateEntry>(KeyOrder.Instance);
            if (value.Length == 0) store.Remove(key);
            else store[key] = new StateEntry(value, version, store.TryGetValue(key, out var old) ? old.ValidationParameter : []);
        }
        foreach (var ((collection, key), policy) in tx.PrivateMetadataWrites)
        {
            if (_private.TryGetValue(collection, out var store) && store.TryGetValue(key, out var entry))
                store[key] = entry with { ValidationParameter = policy, Version = version };
        }
    }

    private static byte[] Binding(byte[] nonce, byte[] creator)
    {
        // Fabric: SHA-256(nonce || creator || epoch as little-endian uint64); the epoch is 0.
        return SHA256.HashData([.. nonce, .. creator, .. new byte[8]]);
    }

    internal static string Printable(string key) => key.Replace("\0", "\\0");
}
