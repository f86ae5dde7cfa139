namespace Fabric.Grpc.Client;

/// <summary>
/// A bidirectional-streaming call in progress. Write requests, then <see cref="CompleteAsync"/> to half-close;
/// read <see cref="Responses"/> until it ends. A non-OK status ends the response stream with an <see cref="RpcException"/>.
/// Disposing cancels the call if it has not finished.
/// </summary>
public interface IDuplexCall<in TRequest, out TResponse> : IAsyncDisposable
{
    /// <summary>
    /// Sends one message, flushed at once; concurrent writes are sent one after the other. Once the call has
    /// ended, throws the <see cref="RpcException"/> it ended with.
    /// </summary>
    Task WriteAsync(TRequest message, CancellationToken cancellationToken = default);

    /// <summary>Half-closes the request side.</summary>
    Task CompleteAsync();

    IAsyncEnumerable<TResponse> Responses { get; }

    /// <summary>Cancels the call.</summary>
    void Cancel();
}
