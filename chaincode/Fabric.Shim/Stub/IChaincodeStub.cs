namespace Fabric.Shim.Stub;

/// <summary>
/// Everything a chaincode may do in one transaction: read and write world state, query it, read history and
/// private data, emit an event, learn who called and with what. Fabric semantics hold: a transaction does not
/// see its own writes; range results come in key order; absent keys read as an empty value.
/// </summary>
public interface IChaincodeStub
{
    string TxId { get; }
    string ChannelId { get; }
    DateTimeOffset TxTimestamp { get; }

    /// <summary>All arguments, the function name first.</summary>
    IReadOnlyList<byte[]> Args { get; }
    string Function { get; }
    IReadOnlyList<string> Parameters { get; }

    /// <summary>The signed proposal that started the transaction (null for tests that do not have one).</summary>
    Protos.SignedProposal? SignedProposal { get; }

    /// <summary>The serialized <c>msp.SerializedIdentity</c> of the submitter.</summary>
    byte[] Creator { get; }
    byte[] Binding { get; }
    IReadOnlyDictionary<string, byte[]> Transient { get; }

    // World state. GetState returns an empty array for a key that does not exist, as Fabric does.
    Task<byte[]> GetStateAsync(string key, CancellationToken cancellationToken = default);
    Task PutStateAsync(string key, byte[] value, CancellationToken cancellationToken = default);
    Task DeleteStateAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Keys in [startKey, endKey) in key order; an empty endKey means "to the end" (composite keys excluded).</summary>
    IAsyncEnumerable<KeyValue> GetStateByRangeAsync(string startKey, string endKey, CancellationToken cancellationToken = default);
    Task<QueryPage> GetStateByRangeWithPaginationAsync(string startKey, string endKey, int pageSize, string bookmark, CancellationToken cancellationToken = default);
    IAsyncEnumerable<KeyValue> GetStateByPartialCompositeKeyAsync(string objectType, IReadOnlyList<string> attributes, CancellationToken cancellationToken = default);
    Task<QueryPage> GetStateByPartialCompositeKeyWithPaginationAsync(string objectType, IReadOnlyList<string> attributes, int pageSize, string bookmark, CancellationToken cancellationToken = default);
    /// <summary>
    /// Composite keys of <paramref name="objectType"/> under <paramref name="attributes"/> whose next attribute lies
    /// between <paramref name="first"/> and <paramref name="last"/>, both included, in key order: one range read where
    /// a partial-key query would read the whole prefix (the peer gets a range of composite keys, as for a partial key).
    /// </summary>
    IAsyncEnumerable<KeyValue> GetStateByCompositeKeyRangeAsync(string objectType, IReadOnlyList<string> attributes, string first, string last, CancellationToken cancellationToken = default);
    IAsyncEnumerable<KeyModification> GetHistoryForKeyAsync(string key, CancellationToken cancellationToken = default);
    /// <summary>A rich (CouchDB) query; a LevelDB peer answers with an error.</summary>
    IAsyncEnumerable<KeyValue> GetQueryResultAsync(string query, CancellationToken cancellationToken = default);
    Task<QueryPage> GetQueryResultWithPaginationAsync(string query, int pageSize, string bookmark, CancellationToken cancellationToken = default);

    // Composite keys, encoded exactly as Fabric does: U+0000 objectType U+0000 attr U+0000 ...
    string CreateCompositeKey(string objectType, IReadOnlyList<string> attributes);
    (string ObjectType, IReadOnlyList<string> Attributes) SplitCompositeKey(string compositeKey);

    // Private data.
    Task<byte[]> GetPrivateDataAsync(string collection, string key, CancellationToken cancellationToken = default);
    Task<byte[]> GetPrivateDataHashAsync(string collection, string key, CancellationToken cancellationToken = default);
    Task PutPrivateDataAsync(string collection, string key, byte[] value, CancellationToken cancellationToken = default);
    Task DeletePrivateDataAsync(string collection, string key, CancellationToken cancellationToken = default);
    Task PurgePrivateDataAsync(string collection, string key, CancellationToken cancellationToken = default);
    IAsyncEnumerable<KeyValue> GetPrivateDataByRangeAsync(string collection, string startKey, string endKey, CancellationToken cancellationToken = default);
    IAsyncEnumerable<KeyValue> GetPrivateDataByPartialCompositeKeyAsync(string collection, string objectType, IReadOnlyList<string> attributes, CancellationToken cancellationToken = default);
    IAsyncEnumerable<KeyValue> GetPrivateDataQueryResultAsync(string collection, string query, CancellationToken cancellationToken = default);

    // Key-level (state-based) endorsement: the serialized common.SignaturePolicyEnvelope, or empty.
    Task<byte[]> GetStateValidationParameterAsync(string key, CancellationToken cancellationToken = default);
    Task SetStateValidationParameterAsync(string key, byte[] endorsementPolicy, CancellationToken cancellationToken = default);
    Task<byte[]> GetPrivateDataValidationParameterAsync(string collection, string key, CancellationToken cancellationToken = default);
    Task SetPrivateDataValidationParameterAsync(string collection, string key, byte[] endorsementPolicy, CancellationToken cancellationToken = default);

    /// <summary>Sets the transaction's single chaincode event; a second call replaces the first, as in Fabric.</summary>
    void SetEvent(string name, byte[] payload);

    /// <summary>Calls another chaincode on the same peer; on the same channel when <paramref name="channel"/> is empty.</summary>
    Task<ChaincodeResponse> InvokeChaincodeAsync(string chaincodeName, IReadOnlyList<byte[]> args, string channel = "", CancellationToken cancellationToken = default);
}
