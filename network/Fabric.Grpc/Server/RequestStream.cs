using Grpc.Core;

namespace Fabric.Grpc.Server;

/// <summary>
/// A handler's view of a request stream. When the client resets its stream, Kestrel fails the pending read with an
/// IOException or a cancelled read, depending on timing; here both end as an OperationCanceledException on the
/// call's token, so that a handler's read loop (a chaincode's, a Deliver's) meets a client's reset one way only.
/// </summary>
internal static class RequestStream
{
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(IAsyncStreamReader<T> reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            bool more;
            try { more = await reader.MoveNext(ct).ConfigureAwait(false); }
            catch (IOException e) { throw new OperationCanceledException("The client reset the request stream.", e, ct); }
            if (!more) yield break;
            yield return reader.Current;
        }
    }
}
