using System.Net;
using Fabric.Grpc.Client;
using Fabric.Grpc.Tests.Support;
using Fabric.Grpc.Wire;
using Protos;

namespace Fabric.Grpc.Tests;

/// <summary>
/// A server that speaks first (a chaincode sends REGISTER as soon as the peer opens the stream) can have its
/// response headers and first message arrive before SocketsHttpHandler hands the duplex call its request body.
/// Under load that ordering is common. The call must wait for the body and keep the response: it once took the
/// early headers for a finished call, disposed the response (which resets the stream) and then waited forever
/// for a body that would never open.
/// </summary>
public sealed class ServerSpeaksFirstTests
{
    [Fact]
    public async Task A_write_after_the_servers_first_message_waits_for_the_request_body_instead_of_ending_the_call()
    {
        var handler = new ServerSpeaksFirstHandler(EchoService.Message("register"));
        using var invoker = new HttpMessageInvoker(handler);
        await using var call = new DuplexCall<ChaincodeMessage, ChaincodeMessage>(invoker,
            new GrpcRequestFactory(new Uri("http://127.0.0.1:1"), null), new GrpcChannelOptions(), EchoService.Duplex, default);

        var responses = call.Responses.GetAsyncEnumerator();
        Assert.True(await responses.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("register", responses.Current.Txid);

        var write = call.WriteAsync(EchoService.Message("registered"));
        await Task.Delay(50);
        Assert.False(write.IsCompleted);                 // the body is not open yet: the write waits for it
        Assert.False(handler.ResponseDisposed);          // and the response the reader owns is left alone

        handler.OpenRequestBody();
        await write.WaitAsync(TimeSpan.FromSeconds(10));
        await call.CompleteAsync();
        var sent = await handler.RequestBody.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(MessageFrame.ToArray(EchoService.Message("registered"), int.MaxValue), sent);
    }

    [Fact]
    public async Task A_trailers_only_answer_before_the_body_opens_ends_writes_with_the_servers_status()
    {
        var handler = new ServerSpeaksFirstHandler(first: null, trailersOnlyStatus: StatusCode.PermissionDenied);
        using var invoker = new HttpMessageInvoker(handler);
        await using var call = new DuplexCall<ChaincodeMessage, ChaincodeMessage>(invoker,
            new GrpcRequestFactory(new Uri("http://127.0.0.1:1"), null), new GrpcChannelOptions(), EchoService.Duplex, default);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.WriteAsync(EchoService.Message("x")).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task A_request_body_that_fails_to_open_fails_the_waiting_write_instead_of_leaving_it_waiting()
    {
        var handler = new ServerSpeaksFirstHandler(EchoService.Message("register"), failBodyFlush: true);
        using var invoker = new HttpMessageInvoker(handler);
        await using var call = new DuplexCall<ChaincodeMessage, ChaincodeMessage>(invoker,
            new GrpcRequestFactory(new Uri("http://127.0.0.1:1"), null), new GrpcChannelOptions(), EchoService.Duplex, default);

        var write = call.WriteAsync(EchoService.Message("registered"));
        handler.OpenRequestBody();
        var error = await Assert.ThrowsAsync<RpcException>(() => write.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    /// <summary>
    /// Answers at once with response headers (and optionally one message), and opens the request body only when told,
    /// as SocketsHttpHandler may; disposing the response cancels the body, as resetting an HTTP/2 stream does.
    /// </summary>
    private sealed class ServerSpeaksFirstHandler(ChaincodeMessage? first, StatusCode? trailersOnlyStatus = null, bool failBodyFlush = false) : HttpMessageHandler
    {
        private readonly TaskCompletionSource bodyMayOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<byte[]> requestBody = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource reset = new();

        public bool ResponseDisposed => reset.IsCancellationRequested;
        public Task<byte[]> RequestBody => requestBody.Task;
        public void OpenRequestBody() => bodyMayOpen.TrySetResult();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await bodyMayOpen.Task.WaitAsync(reset.Token);
                    var sink = failBodyFlush ? new BrokenConnectionStream() : new MemoryStream();
                    await request.Content!.CopyToAsync(sink, reset.Token);
                    requestBody.TrySetResult(sink.ToArray());
                }
                catch (Exception e) { requestBody.TrySetException(e); }
            });
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = HttpVersion.Version20, RequestMessage = request };
            var bytes = first is null ? [] : MessageFrame.ToArray(first, int.MaxValue);
            response.Content = new StreamContent(new ResetOnDispose(new MemoryStream(bytes), reset));
            response.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");
            if (trailersOnlyStatus is { } status) response.Headers.TryAddWithoutValidation("grpc-status", ((int)status).ToString());
            else response.TrailingHeaders.TryAddWithoutValidation("grpc-status", "0");
            return Task.FromResult(response);
        }
    }

    private sealed class ResetOnDispose(Stream inner, CancellationTokenSource reset) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) reset.Cancel();
            base.Dispose(disposing);
        }
    }

    /// <summary>A request stream whose connection is gone: flushing the HEADERS frame fails.</summary>
    private sealed class BrokenConnectionStream : MemoryStream
    {
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.FromException(new IOException("The connection was reset"));
    }
}
