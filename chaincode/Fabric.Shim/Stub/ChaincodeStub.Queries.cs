using System.Runtime.CompilerServices;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Stub;

// Range, composite-key, rich and history queries over world state.
public sealed partial class ChaincodeStub
{
    public IAsyncEnumerable<KeyValue> GetStateByRangeAsync(string startKey, string endKey, CancellationToken cancellationToken = default) =>
        KeyValuesAsync(MessageType.GetStateByRange, RangeRequest("", startKey, endKey), cancellationToken);

    public Task<QueryPage> GetStateByRangeWithPaginationAsync(string startKey, string endKey, int pageSize, string bookmark, CancellationToken cancellationToken = default)
    {
        var request = RangeRequest("", startKey, endKey);
        request.Metadata = PeerQuery.Metadata(pageSize, bookmark);
        return PeerQuery.PageAsync(_peer, MessageType.GetStateByRange, request, cancellationToken);
    }

    public IAsyncEnumerable<KeyValue> GetStateByPartialCompositeKeyAsync(string objectType, IReadOnlyList<string> attributes, CancellationToken cancellationToken = default) =>
        KeyValuesAsync(MessageType.GetStateByRange, PartialKeyRequest("", objectType, attributes), cancellationToken);

    public Task<QueryPage> GetStateByPartialCompositeKeyWithPaginationAsync(string objectType, IReadOnlyList<string> attributes, int pageSize, string bookmark, CancellationToken cancellationToken = default)
    {
        var request = PartialKeyRequest("", objectType, attributes);
        request.Metadata = PeerQuery.Metadata(pageSize, bookmark);
        return PeerQuery.PageAsync(_peer, MessageType.GetStateByRange, request, cancellationToken);
    }

    public IAsyncEnumerable<KeyValue> GetStateByCompositeKeyRangeAsync(string objectType, IReadOnlyList<string> attributes, string first, string last, CancellationToken cancellationToken = default)
    {
        var (start, end) = CompositeKey.Range(objectType, attributes, first, last);
        return KeyValuesAsync(MessageType.GetStateByRange, new GetStateByRange { StartKey = start, EndKey = end }, cancellationToken);
    }

    public IAsyncEnumerable<KeyValue> GetQueryResultAsync(string query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return KeyValuesAsync(MessageType.GetQueryResult, new GetQueryResult { Query = query }, cancellationToken);
    }

    public Task<QueryPage> GetQueryResultWithPaginationAsync(string query, int pageSize, string bookmark, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var request = new GetQueryResult { Query = query, Metadata = PeerQuery.Metadata(pageSize, bookmark) };
        return PeerQuery.PageAsync(_peer, MessageType.GetQueryResult, request, cancellationToken);
    }

    public async IAsyncEnumerable<KeyModification> GetHistoryForKeyAsync(string key, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await foreach (var result in PeerQuery.ResultsAsync(_peer, MessageType.GetHistoryForKey, new GetHistoryForKey { Key = key }, cancellationToken).ConfigureAwait(false))
            yield return PeerQuery.ToKeyModification(result);
    }

    private async IAsyncEnumerable<KeyValue> KeyValuesAsync(MessageType type, Google.Protobuf.IMessage request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var result in PeerQuery.ResultsAsync(_peer, type, request, cancellationToken).ConfigureAwait(false))
            yield return PeerQuery.ToKeyValue(result);
    }

    // As in Fabric's shims: an empty start key becomes U+0001 so that composite keys (U+0000...) stay out of
    // plain range queries; an empty end key means "to the end"; neither may start in the composite namespace.
    private static GetStateByRange RangeRequest(string collection, string startKey, string endKey)
    {
        startKey = string.IsNullOrEmpty(startKey) ? CompositeKey.EmptyKeySubstitute : startKey;
        endKey ??= "";
        CompositeKey.ValidateSimpleKey(startKey, nameof(startKey));
        CompositeKey.ValidateSimpleKey(endKey, nameof(endKey));
        return new GetStateByRange { StartKey = startKey, EndKey = endKey, Collection = collection };
    }

    private static GetStateByRange PartialKeyRequest(string collection, string objectType, IReadOnlyList<string> attributes)
    {
        var partialKey = CompositeKey.Create(objectType, attributes);
        return new GetStateByRange { StartKey = partialKey, EndKey = partialKey + CompositeKey.MaxUnicodeRune, Collection = collection };
    }
}
