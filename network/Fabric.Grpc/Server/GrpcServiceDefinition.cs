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
public sealed partial class GrpcServiceDefinition
{
}
