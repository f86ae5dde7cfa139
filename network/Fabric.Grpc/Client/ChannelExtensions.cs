using Grpc.Core;

namespace Fabric.Grpc.Client;

/// <summary>The call shapes of <see cref="CallInvokerExtensions"/>, straight on a channel.</summary>
public static class ChannelExtensions
{
    public static Task<TResponse> UnaryAsync<TRequest, TResponse>(this ChannelBase channel, Method<TRequest, TResponse> method, TRequest request,
        CallOptions options = default)
        where TRequest : class where TResponse : class =>
        channel.CreateCallInvoker().UnaryAsync(method, request, options);

    public static IAsyncEnumerable<TResponse> ServerStreaming<TRequest, TResponse>(this ChannelBase channel, Method<TRequest, TResponse> method, TRequest request,
        CallOptions options = default)
        where TRequest : class where TResponse : class =>
        channel.CreateCallInvoker().ServerStreaming(method, request, options);

    public static IDuplexCall<TRequest, TResponse> Duplex<TRequest, TResponse>(this ChannelBase channel, Method<TRequest, TResponse> method,
        CallOptions options = default)
        where TRequest : class where TResponse : class =>
        channel.CreateCallInvoker().Duplex(method, options);
}
