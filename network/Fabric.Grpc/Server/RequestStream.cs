using Grpc.Core;

namespace Fabric.Grpc.Server;

/// <summary>
/// A handler's view of a request stream. When the client resets its stream, a pending or next read fails in one of
/// three ways, depending on timing: Kestrel's IOException, a cancelled read, or Grpc.AspNetCore.Server's
/// InvalidOperationException ("Can't read messages after the request is complete") when the request was aborted
/// before the call's own token fired. Here all three end as an OperationCanceledException on the call's token, once that
/// token has fired too, so that a handler's read loop (a chaincode's, a Deliver's) meets a client's reset one way only,
/// and finds its token cancelled as with any other cancellation.
/// </summary>
internal static class RequestStream
{
    /// <summary>How long a failed read waits for the call's token, which follows the request's abort a moment later.</summary>
    private static readonly TimeSpan CallTokenGrace = TimeSpan.FromSeconds(2);

    /// <param name="aborted">The request's own abort token (HttpContext.RequestAborted): it fires first on a reset.</param>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(IAsyncStreamReader<T> reader, CancellationToken aborted,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            bool more;
            try { more = await reader.MoveNext(ct).ConfigureAwait(false); }
            catch (IOException e) { throw await ResetAsync(e, ct).ConfigureAwait(false); }
            catch (InvalidOperationException e) when (aborted.IsCancellationRequested) { throw await ResetAsync(e, ct).ConfigureAwait(false); }
            if (!more) yield break;
            yield return reader.Current;
        }
    }

    private static async Task<OperationCanceledException> ResetAsync(Exception readError, CancellationToken ct)
    {
        try { await Task.Delay(CallTokenGrace, ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        return new OperationCanceledException("The client reset the request stream.", readError, ct);
    }
}
