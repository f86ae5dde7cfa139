namespace Fabric.Grpc.Server;

/// <summary>Writes response messages of a streaming call; each is flushed to the client as it is written.</summary>
public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
