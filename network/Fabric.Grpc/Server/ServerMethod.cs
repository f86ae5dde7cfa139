using Google.Protobuf;

namespace Fabric.Grpc.Server;

/// <summary>A registered handler, bound to its method's message parsers and call shape.</summary>
internal abstract class ServerMethod
{
    public abstract string FullName { get; }

    /// <summary>True when the client sends one message and half-closes: what it still sends after the call ended can be drained.</summary>
    public virtual bool SingleRequest => true;

    public abstract Task HandleAsync(ServerCall call);
}

internal sealed class UnaryServerMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryHandler<TRequest, TResponse> handler) : ServerMethod
    where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
{
    public override string FullName => method.FullName;

    public override async Task HandleAsync(ServerCall call)
    {
        var request = await call.ReadSingleRequestAsync(method.RequestParser).ConfigureAwait(false);
        var response = await handler(request, call.Context).ConfigureAwait(false);
        await call.WriteAsync(response, flush: false, call.Token).ConfigureAwait(false);
    }
}

internal sealed class ServerStreamingServerMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingHandler<TRequest, TResponse> handler) : ServerMethod
    where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
{
    public override string FullName => method.FullName;

    public override async Task HandleAsync(ServerCall call)
    {
        var request = await call.ReadSingleRequestAsync(method.RequestParser).ConfigureAwait(false);
        await handler(request, new ResponseStreamWriter<TResponse>(call), call.Context).ConfigureAwait(false);
    }
}

internal sealed class DuplexServerMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexHandler<TRequest, TResponse> handler) : ServerMethod
    where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
{
    public override string FullName => method.FullName;

    public override bool SingleRequest => false;

    public override Task HandleAsync(ServerCall call) =>
        handler(call.ReadRequests(method.RequestParser), new ResponseStreamWriter<TResponse>(call), call.Context);
}
