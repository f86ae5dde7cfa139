using Fabric.Grpc.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Fabric.Grpc.Tests;

/// <summary>
/// A handler cancelled because its request was aborted, in the moment before the call's own token fires: the status
/// the server gives it. Grpc.AspNetCore.Server would log a bare cancellation there as a handler's error (the short
/// fuzzer's chaincode connection met it in CI), and a deadline must still read as DEADLINE_EXCEEDED.
/// </summary>
public sealed class AbortedRequestTests
{
    [Fact]
    public async Task A_reset_before_the_calls_token_fires_is_a_cancelled_status()
    {
        var context = new AbortedCallContext(deadline: DateTime.UtcNow.AddMinutes(5));

        var e = await Assert.ThrowsAsync<RpcException>(() => RunCancelledHandlerAsync(context));

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
    }

    [Fact]
    public async Task An_abort_after_the_deadline_passed_is_deadline_exceeded()
    {
        var context = new AbortedCallContext(deadline: DateTime.UtcNow.AddMilliseconds(-1));

        var e = await Assert.ThrowsAsync<RpcException>(() => RunCancelledHandlerAsync(context));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
    }

    [Fact]
    public async Task A_cancellation_on_the_calls_own_token_is_left_to_Grpc_AspNetCore()
    {
        var context = new AbortedCallContext(deadline: DateTime.MaxValue, callCancelled: true);

        await Assert.ThrowsAsync<OperationCanceledException>(() => RunCancelledHandlerAsync(context));
    }

    private static Task RunCancelledHandlerAsync(ServerCallContext context) =>
        new HostedService(CancellationToken.None).RunAsync(context, _ => throw new OperationCanceledException("The client reset the request stream."));

    /// <summary>A call whose request is aborted; its own token is cancelled only when asked.</summary>
    private sealed class AbortedCallContext : ServerCallContext
    {
        private readonly DateTime deadline;
        private readonly CancellationToken callToken;

        public AbortedCallContext(DateTime deadline, bool callCancelled = false)
        {
            this.deadline = deadline;
            callToken = new CancellationToken(callCancelled);
            var http = new DefaultHttpContext();
            http.Features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = new CancellationToken(true) });
            UserState["__HttpContext"] = http; // where Grpc.AspNetCore.Server's GetHttpContext() looks outside its own context
        }

        protected override string MethodCore => "/test.Service/Method";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => deadline;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => callToken;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore { get; } = new(null, []);
        protected override IDictionary<object, object> UserStateCore { get; } = new Dictionary<object, object>();
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
