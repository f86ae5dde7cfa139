using Fabric.Grpc.Client;
using Grpc.Core;
using Fabric.Grpc.Server;
using Protos;

namespace Fabric.Grpc.Tests.Support;

/// <summary>Handlers that wait until their call is cancelled and report what they saw.</summary>
public sealed class HangingService
{
    public TaskCompletionSource<ServerCallContext> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<bool> Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>When the last handler started (UTC).</summary>
    public DateTime StartedAt { get; private set; }

    public GrpcServiceDefinition Definition() => new GrpcServiceDefinition()
        .AddUnary(EchoService.Unary, async (request, context) =>
        {
            await WaitForCancellation(context);
            return request;
        })
        .AddDuplex(EchoService.Duplex, async (requests, responses, context) =>
        {
            await responses.WriteAsync(new ChaincodeMessage { Txid = "started" });
            await WaitForCancellation(context);
        })
        .AddServerStreaming(EchoService.ServerStream, (request, responses, context) => responses.WriteAsync(request));

    /// <summary>
    /// One call that answers at once. A deadline test makes it first, so that the server's first dispatch (JIT, on
    /// a busy machine) cannot outlast the deadline and end the call before the handler ever started.
    /// </summary>
    public static async Task WarmUpAsync(ChannelBase channel)
    {
        await foreach (var _ in channel.ServerStreaming(EchoService.ServerStream, EchoService.Message("warm-up"))) { }
    }

    private async Task WaitForCancellation(ServerCallContext context)
    {
        StartedAt = DateTime.UtcNow;
        Started.TrySetResult(context);
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        finally
        {
            Cancelled.TrySetResult(context.CancellationToken.IsCancellationRequested);
        }
    }
}
