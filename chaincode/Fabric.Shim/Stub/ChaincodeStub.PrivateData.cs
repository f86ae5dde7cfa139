using System.Runtime.CompilerServices;
using Google.Protobuf;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Stub;

// Private data collections: the same requests as world state, with a collection name.
public sealed partial class ChaincodeStub
{
    // PURGE_PRIVATE_DATA (23) and its PurgePrivateState{key = 1, collection = 2} are newer than the .proto
    // snapshot we generate from; PurgePrivateState has the same fields as DelState, so DelState encodes it.
    private const MessageType PurgePrivateData = (MessageType)23;

    public async Task<byte[]> GetPrivateDataAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        ValidateCollectionAndKey(collection, key);
        return (await RequestAsync(MessageType.GetState, new GetState { Key = key, Collection = collection }, cancellationToken).ConfigureAwait(false)).ToByteArray();
    }

    public async Task<byte[]> GetPrivateDataHashAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        ValidateCollectionAndKey(collection, key);
        return (await RequestAsync(MessageType.GetPrivateDataHash, new GetState { Key = key, Collection = collection }, cancellationToken).ConfigureAwait(false)).ToByteArray();
    }

    public Task PutPrivateDataAsync(string collection, string key, byte[] value, CancellationToken cancellationToken = default)
    {
        ValidateCollectionAndKey(collection, key);
        ArgumentNullException.ThrowIfNull(value);
        return RequestAsync(MessageType.PutState, new PutState { Key = key, Value = ByteString.CopyFrom(value), Collection = collection }, cancellationToken);
    }

    public Task DeletePrivateDataAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        ValidateCollectionAndKey(collection, key);
        return RequestAsync(MessageType.DelState, new DelState { Key = key, Collection = collection }, cancellationToken);
    }

    public Task PurgePrivateDataAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        ValidateCollectionAndKey(collection, key);
        return RequestAsync(PurgePrivateData, new DelState { Key = key, Collection = collection }, cancellationToken);
    }

    public IAsyncEnumerable<KeyValue> GetPrivateDataByRangeAsync(string collection, string startKey, string endKey, CancellationToken cancellationToken = default)
    {
        ValidateCollection(collection);
        return KeyValuesAsync(MessageType.GetStateByRange, RangeRequest(collection, startKey, endKey), cancellationToken);
    }

    public IAsyncEnumerable<KeyValue> GetPrivateDataByPartialCompositeKeyAsync(string collection, string objectType, IReadOnlyList<string> attributes, CancellationToken cancellationToken = default)
    {
        ValidateCollection(collection);
        return KeyValuesAsync(MessageType.GetStateByRange, PartialKeyRequest(collection, objectType, attributes), cancellationToken);
    }

    public IAsyncEnumerable<KeyValue> GetPrivateDataQueryResultAsync(string collection, string query, CancellationToken cancellationToken = default)
    {
        ValidateCollection(collection);
        ArgumentNullException.ThrowIfNull(query);
        return KeyValuesAsync(MessageType.GetQueryResult, new GetQueryResult { Query = query, Collection = collection }, cancellationToken);
    }

    public Task<byte[]> GetPrivateDataValidationParameterAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        ValidateCollection(collection);
        return GetValidationParameterAsync(collection, key, cancellationToken);
    }

    public Task SetPrivateDataValidationParameterAsync(string collection, string key, byte[] endorsementPolicy, CancellationToken cancellationToken = default)
    {
        ValidateCollection(collection);
        return SetValidationParameterAsync(collection, key, endorsementPolicy, cancellationToken);
    }

    private static void ValidateCollection(string collection)
    {
        if (string.IsNullOrEmpty(collection)) throw new ArgumentException("A private data collection name must be a non-empty string.", nameof(collection));
    }

    private static void ValidateCollectionAndKey(string collection, string key)
    {
        ValidateCollection(collection);
        if (string.IsNullOrEmpty(key)) throw new ArgumentException("A private data key must be a non-empty string.", nameof(key));
    }
}
