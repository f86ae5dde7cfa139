using Grpc.Core;

namespace Fabric.Grpc.Server;

/// <summary>
/// A handler's view of its response stream. Once the client has reset the stream (or the deadline passed),
/// Grpc.AspNetCore.Server refuses a write with an InvalidOperationException ("the request is complete"), which it then
/// logs as a server error; here that write ends as an OperationCanceledException on the call's token, as a read does
/// (<see cref="RequestStream"/>), so that a handler answering a peer that has just hung up is not a server fault.
/// </summary>
internal sealed class ResponseStream<T>(IServerStreamWriter<T> inner, CancellationToken callEnded) : IServerStreamWriter<T>
{
    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        try
        {
            await inner.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (callEnded.IsCancellationRequested)
        {
            throw new OperationCanceledException("The client ended the call before this response was written.", e, callEnded);
        }
    }
}
