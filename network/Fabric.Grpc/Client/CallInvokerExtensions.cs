using System.Runtime.CompilerServices;
using Grpc.Core;

namespace Fabric.Grpc.Client;

/// <summary>
/// The three call shapes Fabric uses, on any official <see cref="CallInvoker"/> (a Grpc.Net.Client channel's or a
/// test double): a unary call as a task, a server stream as an async sequence, and a duplex call whose concurrent
/// writes are queued.
/// </summary>
public static class CallInvokerExtensions
{
    public static async Task<TResponse> UnaryAsync<TRequest, TResponse>(this CallInvoker invoker, Method<TRequest, TResponse> method, TRequest request,
        CallOptions options = default)
        where TRequest : class where TResponse : class
    {
        using var call = invoker.AsyncUnaryCall(method, null, options, request);
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>One request, a stream of responses. Stop early by cancelling the token in <paramref name="options"/> or by breaking out of the loop.</summary>
    public static IAsyncEnumerable<TResponse> ServerStreaming<TRequest, TResponse>(this CallInvoker invoker, Method<TRequest, TResponse> method, TRequest request,
        CallOptions options = default)
        where TRequest : class where TResponse : class =>
        ServerStreamingCore(invoker, method, request, options, default);

    private static async IAsyncEnumerable<TResponse> ServerStreamingCore<TRequest, TResponse>(CallInvoker invoker, Method<TRequest, TResponse> method,
        TRequest request, CallOptions options, [EnumeratorCancellation] CancellationToken enumeratorToken)
        where TRequest : class where TResponse : class
    {
        using var linked = enumeratorToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken, enumeratorToken) : null;
        // Disposing the call (breaking out of the loop) cancels it if the server has not ended it.
        using var call = invoker.AsyncServerStreamingCall(method, null, linked is null ? options : options.WithCancellationToken(linked.Token), request);
        while (await StreamDeadline.MoveNextAsync(call.ResponseStream, options.Deadline, linked?.Token ?? options.CancellationToken).ConfigureAwait(false))
            yield return call.ResponseStream.Current;
    }

    /// <summary>Opens a bidirectional stream. Requests may be written before the server has answered.</summary>
    public static IDuplexCall<TRequest, TResponse> Duplex<TRequest, TResponse>(this CallInvoker invoker, Method<TRequest, TResponse> method,
        CallOptions options = default)
        where TRequest : class where TResponse : class =>
        new DuplexCall<TRequest, TResponse>(invoker, method, options);
}
