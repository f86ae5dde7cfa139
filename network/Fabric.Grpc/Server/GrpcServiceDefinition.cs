using Google.Protobuf;

namespace Fabric.Grpc.Server;

public delegate Task<TResponse> UnaryHandler<in TRequest, TResponse>(TRequest request, ServerCallContext context);
public delegate Task ServerStreamingHandler<in TRequest, out TResponse>(TRequest request, IServerStreamWriter<TResponse> responses, ServerCallContext context);
public delegate Task DuplexHandler<in TRequest, out TResponse>(IAsyncEnumerable<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context);

/// <summary>
/// The handlers of one or more gRPC services, by method path. Build one, then host it with <see cref="GrpcServer"/>.
/// </summary>
/// <example><code>
/// var services = new GrpcServiceDefinition()
///     .AddUnary(GatewayMethods.Evaluate, (request, context) => EvaluateAsync(request, context));
/// await using var server = await GrpcServer.StartAsync(new GrpcServerOptions { Port = 0 }, services);
/// </code></example>
public sealed class GrpcServiceDefinition
{
    private readonly Dictionary<string, ServerMethod> methods = new(StringComparer.Ordinal);

    internal IEnumerable<ServerMethod> Methods => methods.Values;

    public GrpcServiceDefinition AddUnary<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryHandler<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse> =>
        Add(method, MethodType.Unary, new UnaryServerMethod<TRequest, TResponse>(method, handler ?? throw new ArgumentNullException(nameof(handler))));

    public GrpcServiceDefinition AddServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingHandler<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse> =>
        Add(method, MethodType.ServerStreaming, new ServerStreamingServerMethod<TRequest, TResponse>(method, handler ?? throw new ArgumentNullException(nameof(handler))));

    public GrpcServiceDefinition AddDuplex<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexHandler<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse> =>
        Add(method, MethodType.DuplexStreaming, new DuplexServerMethod<TRequest, TResponse>(method, handler ?? throw new ArgumentNullException(nameof(handler))));

    private GrpcServiceDefinition Add<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType expected, ServerMethod handler)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Type != expected)
            throw new ArgumentException($"{method.FullName} is a {method.Type} method, not {expected}", nameof(method));
        if (!methods.TryAdd(method.FullName, handler))
            throw new ArgumentException($"{method.FullName} already has a handler", nameof(method));
        return this;
    }
}
