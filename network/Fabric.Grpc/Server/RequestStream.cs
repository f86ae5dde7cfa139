using Grpc.Core;

namespace Fabric.Grpc.Server;

/// <summary>
/// A handler's view of a request stream. When the client resets its stream, a pending or next read fails in one of
/// three ways, depending on timing: Kestrel's IOException, a cancelled read, or Grpc.AspNetCore.Server's
/// InvalidOperationException ("Can't read messages after the request is complete") when the request was aborted
/// before the call's own token fired. Here all three end as an OperationCanceledException on the call's token, so that
/// a handler's read loop (a chaincode's, a Deliver's) meets a client's reset one way only.
/// </summary>
internal static class RequestStream
{
    /// <param name="aborted">The request's own abort token (HttpContext.RequestAborted): it fires first on a reset.</param>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(IAsyncStreamReader<T> reader, CancellationToken aborted,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            bool more;
            try { more = await reader.MoveNext(ct).ConfigureAwait(false); }
            catch (IOException e) { throw new OperationCanceledException("The client reset the request stream.", e, ct); }
            catch (InvalidOperationException e) when (aborted.IsCancellationRequested)
            {
                throw new OperationCanceledException("The client reset the request stream.", e, ct);
            }
            if (!more) yield break;
            yield return reader.Current;
        }
    }
}
