using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Fabric.Grpc.Server;

public delegate Task<TResponse> UnaryHandler<in TRequest, TResponse>(TRequest request, ServerCallContext context);
public delegate Task ServerStreamingHandler<in TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responses, ServerCallContext context);
public delegate Task DuplexHandler<in TRequest, TResponse>(IAsyncEnumerable<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context);

/// <summary>
/// The handlers of one or more gRPC services, by method, as plain delegates (for services whose handlers are
/// not a generated service base class). Host it with <see cref="GrpcServer"/>, which serves it through
/// Grpc.AspNetCore.Server.
/// </summary>
/// <example><code>
/// var services = new GrpcServiceDefinition()
///     .AddUnary(GatewayMethods.Evaluate, (request, context) => EvaluateAsync(request, context));
/// await using var server = await GrpcServer.StartAsync(new GrpcServerOptions { Port = 0 }, services);
/// </code></example>
public sealed class GrpcServiceDefinition
{
    private readonly Dictionary<string, Action<ServiceMethodProviderContext<HostedService>>> methods = new(StringComparer.Ordinal);

    internal IReadOnlyDictionary<string, Action<ServiceMethodProviderContext<HostedService>>> Methods => methods;

    public GrpcServiceDefinition AddUnary<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryHandler<TRequest, TResponse> handler)
        where TRequest : class where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(method, MethodType.Unary, context => context.AddUnaryMethod(method, [],
            (service, request, call) => service.RunAsync(call, c => handler(request, c))));
    }

    public GrpcServiceDefinition AddServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingHandler<TRequest, TResponse> handler)
        where TRequest : class where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(method, MethodType.ServerStreaming, context => context.AddServerStreamingMethod(method, [],
            (service, request, responses, call) => service.RunAsync(call, c => handler(request, new ResponseStream<TResponse>(responses, call.CancellationToken), c))));
    }

    public GrpcServiceDefinition AddDuplex<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexHandler<TRequest, TResponse> handler)
        where TRequest : class where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(method, MethodType.DuplexStreaming, context => context.AddDuplexStreamingMethod(method, [],
            (service, requests, responses, call) => service.RunAsync(call, c =>
                handler(RequestStream.ReadAllAsync(requests, call.RequestAborted(), c.CancellationToken), new ResponseStream<TResponse>(responses, call.CancellationToken), c))));
    }

    private GrpcServiceDefinition Add<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType expected, Action<ServiceMethodProviderContext<HostedService>> bind)
        where TRequest : class where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Type != expected)
            throw new ArgumentException($"{method.FullName} is a {method.Type} method, not {expected}", nameof(method));
        if (!methods.TryAdd(method.FullName, bind))
            throw new ArgumentException($"{method.FullName} already has a handler", nameof(method));
        return this;
    }
}
