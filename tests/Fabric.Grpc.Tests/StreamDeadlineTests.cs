using Fabric.Grpc.Client;
using Fabric.Grpc.Tests.Support;
using Grpc.Core;
using Protos;

namespace Fabric.Grpc.Tests;

/// <summary>
/// A stream the server resets (CANCEL) at the call's deadline reads as DEADLINE_EXCEEDED on the client, whichever timer
/// fired first; a reset before the deadline, or the caller's own cancellation, stays CANCELLED. The reset is played by a
/// call invoker whose response stream fails as Grpc.Net.Client's does, so the timing is the test's, not the machine's.
/// </summary>
public sealed class StreamDeadlineTests
{
    private static readonly DateTime Passed = DateTime.UtcNow.AddSeconds(-1);

    [Fact]
    public async Task A_duplex_stream_reset_at_its_deadline_reports_deadline_exceeded()
    {
        await using var call = new ResettingInvoker().Duplex(EchoService.Duplex, new CallOptions(deadline: Passed));
        Assert.Equal(StatusCode.DeadlineExceeded, (await ReadAllAsync(call.Responses)).StatusCode);
    }

    [Fact]
    public async Task A_server_stream_reset_at_its_deadline_reports_deadline_exceeded()
    {
        var responses = new ResettingInvoker().ServerStreaming(EchoService.ServerStream, EchoService.Message("x"), new CallOptions(deadline: Passed));
        Assert.Equal(StatusCode.DeadlineExceeded, (await ReadAllAsync(responses)).StatusCode);
    }

    [Fact]
    public async Task A_reset_well_before_the_deadline_stays_cancelled()
    {
        await using var call = new ResettingInvoker().Duplex(EchoService.Duplex, new CallOptions(deadline: DateTime.UtcNow.AddMinutes(1)));
        Assert.Equal(StatusCode.Cancelled, (await ReadAllAsync(call.Responses)).StatusCode);
    }

    [Fact]
    public async Task A_stream_without_a_deadline_stays_cancelled()
    {
        await using var call = new ResettingInvoker().Duplex(EchoService.Duplex);
        Assert.Equal(StatusCode.Cancelled, (await ReadAllAsync(call.Responses)).StatusCode);
    }

    [Fact]
    public async Task A_stream_its_caller_cancelled_stays_cancelled_even_past_its_deadline()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var responses = new ResettingInvoker().ServerStreaming(EchoService.ServerStream, EchoService.Message("x"),
            new CallOptions(deadline: Passed, cancellationToken: cancelled.Token));
        Assert.Equal(StatusCode.Cancelled, (await ReadAllAsync(responses)).StatusCode);
    }

    private static Task<RpcException> ReadAllAsync(IAsyncEnumerable<ChaincodeMessage> responses) =>
        Assert.ThrowsAsync<RpcException>(async () => { await foreach (var _ in responses) { } });

    /// <summary>Every call's response stream fails as Grpc.Net.Client's does when the server resets the stream.</summary>
    private sealed class ResettingInvoker : CallInvoker
    {
        private static readonly RpcException Reset = new(new Status(StatusCode.Cancelled,
            "Error reading next message. HttpProtocolException: The HTTP/2 server reset the stream. HTTP/2 error code 'CANCEL' (0x8)."));

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            new(new NoRequests<TRequest>(), new ResetStream<TResponse>(), Task.FromResult(new Metadata()), () => Reset.Status, () => [], () => { });

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            new(new ResetStream<TResponse>(), Task.FromResult(new Metadata()), () => Reset.Status, () => [], () => { });

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();

        private sealed class ResetStream<T> : IAsyncStreamReader<T>
        {
            public T Current => throw new InvalidOperationException("No message was read.");
            public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromException<bool>(Reset);
        }

        private sealed class NoRequests<T> : IClientStreamWriter<T>
        {
            public WriteOptions? WriteOptions { get; set; }
            public Task CompleteAsync() => Task.CompletedTask;
            public Task WriteAsync(T message) => Task.CompletedTask;
        }
    }
}
