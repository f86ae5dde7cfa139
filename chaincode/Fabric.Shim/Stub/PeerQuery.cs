using System.Runtime.CompilerServices;
using Fabric.Shim.Handler;
using Google.Protobuf;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Stub;

/// <summary>
/// Runs one peer-side query iterator: the first request (GET_STATE_BY_RANGE, GET_QUERY_RESULT or
/// GET_HISTORY_FOR_KEY) answers with a batch; QUERY_STATE_NEXT fetches the next while <c>has_more</c>;
/// QUERY_STATE_CLOSE always ends it, also after the last batch, as Fabric's Node shim does.
/// </summary>
internal static class PeerQuery
{
    public static async IAsyncEnumerable<ByteString> ResultsAsync(IPeerRequester peer, MessageType type, IMessage request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = QueryResponse.Parser.ParseFrom(await peer.RequestAsync(type, request, cancellationToken).ConfigureAwait(false));
        try
        {
            while (true)
            {
                foreach (var result in batch.Results)
                    yield return result.ResultBytes;
                if (!batch.HasMore) yield break;
                batch = QueryResponse.Parser.ParseFrom(await peer.RequestAsync(MessageType.QueryStateNext, new QueryStateNext { Id = batch.Id }, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            await peer.RequestAsync(MessageType.QueryStateClose, new QueryStateClose { Id = batch.Id }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a whole paginated query: its results, and the fetched count and bookmark the peer reports.</summary>
    public static async Task<QueryPage> PageAsync(IPeerRequester peer, MessageType type, IMessage request, CancellationToken cancellationToken)
    {
        var batch = QueryResponse.Parser.ParseFrom(await peer.RequestAsync(type, request, cancellationToken).ConfigureAwait(false));
        var results = new List<KeyValue>();
        QueryResponseMetadata? metadata = null;
        try
        {
            while (true)
            {
                results.AddRange(batch.Results.Select(r => ToKeyValue(r.ResultBytes)));
                if (!batch.Metadata.IsEmpty) metadata = QueryResponseMetadata.Parser.ParseFrom(batch.Metadata);
                if (!batch.HasMore) break;
                batch = QueryResponse.Parser.ParseFrom(await peer.RequestAsync(MessageType.QueryStateNext, new QueryStateNext { Id = batch.Id }, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            await peer.RequestAsync(MessageType.QueryStateClose, new QueryStateClose { Id = batch.Id }, CancellationToken.None).ConfigureAwait(false);
        }
        return new QueryPage(results, metadata?.FetchedRecordsCount ?? results.Count, metadata?.Bookmark ?? "");
    }

    public static KeyValue ToKeyValue(ByteString resultBytes)
    {
        var kv = Queryresult.KV.Parser.ParseFrom(resultBytes);
        return new KeyValue(kv.Key, kv.Value.ToByteArray());
    }

    public static KeyModification ToKeyModification(ByteString resultBytes)
    {
        var modification = Queryresult.KeyModification.Parser.ParseFrom(resultBytes);
        return new KeyModification(modification.TxId, modification.Value.ToByteArray(),
            modification.Timestamp?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch, modification.IsDelete);
    }

    public static ByteString Metadata(int pageSize, string bookmark)
    {
        if (pageSize <= 0) throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "A page holds at least one result.");
        return new QueryMetadata { PageSize = pageSize, Bookmark = bookmark ?? "" }.ToByteString();
    }
}
