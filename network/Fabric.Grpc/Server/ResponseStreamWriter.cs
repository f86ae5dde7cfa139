using Google.Protobuf;

namespace Fabric.Grpc.Server;

/// <summary>The response stream of a streaming call: each message is flushed as it is written.</summary>
internal sealed class ResponseStreamWriter<T>(ServerCall call) : IServerStreamWriter<T> where T : IMessage<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default) =>
        call.WriteAsync(message, flush: true, cancellationToken);
}
