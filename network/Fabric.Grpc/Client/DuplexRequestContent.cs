using System.Net;

namespace Fabric.Grpc.Client;

/// <summary>
/// A request body that stays open: SocketsHttpHandler hands us its stream as soon as the request headers
/// are sent (it does not wait for the response headers, which grpc-js sends only with its first message),
/// and END_STREAM goes out when <see cref="Complete"/> is called.
/// </summary>
internal sealed class DuplexRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Stream> Stream => stream.Task;

    /// <summary>Half-closes the request.</summary>
    public void Complete() => completed.TrySetResult();

    /// <summary>Ends the body without END_STREAM; the handler resets the stream.</summary>
    public void Abort()
    {
        stream.TrySetCanceled();
        completed.TrySetCanceled();
    }

    protected override Task SerializeToStreamAsync(Stream target, TransportContext? context) =>
        SerializeToStreamAsync(target, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream target, TransportContext? context, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(Abort);
        try
        {
            // SocketsHttpHandler holds the HEADERS frame back until the body is flushed; a server that speaks
            // first (a chaincode sends REGISTER before the peer writes anything) would otherwise never see the call.
            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Writers wait on Stream: a body that never opened must say so, or they would wait forever.
            stream.TrySetException(e);
            throw;
        }
        stream.TrySetResult(target);
        await completed.Task.ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
