using Google.Protobuf;

namespace Fabric.Grpc.Client;

/// <summary>
/// Starts gRPC calls on a channel. Everything above the transport (Fabric.Client, the embedded network's
/// chaincode connections) talks to this interface only.
/// </summary>
public interface ICallInvoker
{
    Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>;

    /// <summary>One request, a stream of responses. Stop early by cancelling the token in <paramref name="options"/> or by breaking out of the loop.</summary>
    IAsyncEnumerable<TResponse> ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>;

    /// <summary>Opens a bidirectional stream. Requests may be written before the server has answered.</summary>
    IDuplexCall<TRequest, TResponse> Duplex<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>;
}
