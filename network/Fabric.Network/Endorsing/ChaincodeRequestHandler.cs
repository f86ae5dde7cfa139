using Google.Protobuf;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Network.Endorsing;

/// <summary>
/// Answers one request from a chaincode (GET_STATE, PUT_STATE, ranges, history, metadata, ...) from the
/// transaction's simulator: a RESPONSE with the payload the Fabric peer sends, or an ERROR whose payload
/// is "TYPE failed: transaction ID: txid: reason", as the peer words it.
/// </summary>
public static class ChaincodeRequestHandler
{
    // PURGE_PRIVATE_DATA (Fabric 2.5) is newer than the generated enum; its PurgePrivateState{key = 1,
    // collection = 2} has DelState's fields.
    private const MessageType PurgePrivateData = (MessageType)23;

    public static ChaincodeMessage Handle(ChaincodeMessage request, TxSimulator simulator)
    {
        try
        {
            var payload = request.Type switch
            {
                MessageType.GetState => Get(simulator, GetState.Parser.ParseFrom(request.Payload)),
                MessageType.PutState => Put(simulator, PutState.Parser.ParseFrom(request.Payload)),
                MessageType.DelState => Del(simulator, DelState.Parser.ParseFrom(request.Payload)),
                MessageType.GetStateByRange => Range(simulator, GetStateByRange.Parser.ParseFrom(request.Payload)),
                MessageType.QueryStateNext => simulator.Next(QueryStateNext.Parser.ParseFrom(request.Payload).Id).ToByteString(),
                MessageType.QueryStateClose => simulator.Close(QueryStateClose.Parser.ParseFrom(request.Payload).Id).ToByteString(),
                MessageType.GetHistoryForKey => simulator.StartHistory(GetHistoryForKey.Parser.ParseFrom(request.Payload).Key).ToByteString(),
                MessageType.GetStateMetadata => Collection(GetStateMetadata.Parser.ParseFrom(request.Payload).Collection) ?? simulator.GetStateMetadata(GetStateMetadata.Parser.ParseFrom(request.Payload).Key).ToByteString(),
                MessageType.PutStateMetadata => PutMetadata(simulator, PutStateMetadata.Parser.ParseFrom(request.Payload)),
                MessageType.GetQueryResult => throw new NotSupportedException("ExecuteQuery not supported for leveldb"),
                MessageType.InvokeChaincode => throw new NotSupportedException("chaincode-to-chaincode invocation is not supported by the embedded network"),
                MessageType.GetPrivateDataHash => simulator.GetPrivateDataHash(GetState.Parser.ParseFrom(request.Payload).Collection, GetState.Parser.ParseFrom(request.Payload).Key),
                PurgePrivateData => Purge(simulator, DelState.Parser.ParseFrom(request.Payload)),
                _ => throw new NotSupportedException($"[{request.Txid}] Fabric side handler cannot handle message ({request.Type}) while in ready state"),
            };
            return new ChaincodeMessage { Type = MessageType.Response, Payload = payload, Txid = request.Txid, ChannelId = request.ChannelId };
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or InvalidProtocolBufferException)
        {
            return new ChaincodeMessage
            {
                Type = MessageType.Error,
                Payload = ByteString.CopyFromUtf8($"{(request.Type == PurgePrivateData ? "PURGE_PRIVATE_DATA" : request.Type.ToString().ToUpperSnake())} failed: transaction ID: {request.Txid}: {e.Message}"),
                Txid = request.Txid,
                ChannelId = request.ChannelId,
            };
        }
    }

    private static ByteString? Collection(string collection) =>
        string.IsNullOrEmpty(collection) ? null : throw new NotSupportedException("key-level endorsement of private data is not supported by the embedded network");

    private static ByteString Get(TxSimulator simulator, GetState get) =>
        string.IsNullOrEmpty(get.Collection) ? simulator.GetState(get.Key) : simulator.GetPrivateData(get.Collection, get.Key);

    private static ByteString Put(TxSimulator simulator, PutState put)
    {
        if (string.IsNullOrEmpty(put.Collection)) simulator.PutState(put.Key, put.Value);
        else simulator.PutPrivateData(put.Collection, put.Key, put.Value);
        return ByteString.Empty;
    }

    private static ByteString Del(TxSimulator simulator, DelState del)
    {
        if (string.IsNullOrEmpty(del.Collection)) simulator.DelState(del.Key);
        else simulator.DelPrivateData(del.Collection, del.Key);
        return ByteString.Empty;
    }

    private static ByteString Purge(TxSimulator simulator, DelState purge)
    {
        if (string.IsNullOrEmpty(purge.Collection)) throw new InvalidOperationException("a collection is required to purge private data");
        simulator.PurgePrivateData(purge.Collection, purge.Key);
        return ByteString.Empty;
    }

    private static ByteString Range(TxSimulator simulator, GetStateByRange range)
    {
        if (!string.IsNullOrEmpty(range.Collection))
            return simulator.StartPrivateRange(range.Collection, range.StartKey, range.EndKey).ToByteString();
        var paging = range.Metadata.IsEmpty ? null : QueryMetadata.Parser.ParseFrom(range.Metadata);
        return simulator.StartRange(range.StartKey, range.EndKey, paging).ToByteString();
    }

    private static ByteString PutMetadata(TxSimulator simulator, PutStateMetadata put)
    {
        Collection(put.Collection);
        simulator.PutStateMetadata(put.Key, put.Metadata.Metakey, put.Metadata.Value);
        return ByteString.Empty;
    }

    // GET_QUERY_RESULT, as Fabric prints message types.
    private static string ToUpperSnake(this string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
