using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Google.Protobuf;

namespace Fabric.Client.Tests;

/// <summary>
/// An in-process gRPC <see cref="CallInvoker"/> standing in for a Gateway peer: each call is recorded (method, request
/// bytes, deadline) and answered by a handler registered per method name, which may return a message or throw RpcException.
/// </summary>
internal sealed class FakeGateway : CallInvoker
{
    private readonly ConcurrentDictionary<string, Func<IMessage, CallOptions, IMessage>> _unary = new();
    private readonly ConcurrentDictionary<string, Func<IMessage, IEnumerable<IMessage>>> _streams = new();

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    public IEnumerable<string> MethodNames => Calls.Select(c => c.Method);

    public FakeGateway OnUnary(string method, Func<IMessage, CallOptions, IMessage> handler)
    {
        _unary[method] = handler;
        return this;
    }

    public FakeGateway OnUnary(string method, Func<IMessage, IMessage> handler) => OnUnary(method, (r, _) => handler(r));

    /// <summary>Answers a server-streaming or duplex call (given its first request) with these responses, then ends it.</summary>
    public FakeGateway OnStream(string method, Func<IMessage, IEnumerable<IMessage>> handler)
    {
        _streams[method] = handler;
        return this;
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Enqueue(new RecordedCall(method.Name, Bytes(method, request), options));
        options.CancellationToken.ThrowIfCancellationRequested();
        if (!_unary.TryGetValue(method.Name, out var handler))
            throw Unimplemented(method);
        // Round-trip through bytes so that the client parses exactly what a server would send.
        var response = Parse<TResponse>(handler((IMessage)request, options));
        return new AsyncUnaryCall<TResponse>(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => new Metadata(), () => { });
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Enqueue(new RecordedCall(method.Name, Bytes(method, request), options));
        if (!_streams.TryGetValue(method.Name, out var handler))
            throw Unimplemented(method);
        var responses = Channel.CreateUnbounded<TResponse>();
        foreach (var response in handler((IMessage)request)) responses.Writer.TryWrite(Parse<TResponse>(response));
        responses.Writer.Complete();
        return new AsyncServerStreamingCall<TResponse>(new ChannelReaderStream<TResponse>(responses.Reader, options.CancellationToken),
            Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => new Metadata(), () => { });
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        if (!_streams.TryGetValue(method.Name, out var handler))
            throw Unimplemented(method);
        var responses = Channel.CreateUnbounded<TResponse>();
        var requests = new FirstRequestWriter<TRequest>(request =>
        {
            Calls.Enqueue(new RecordedCall(method.Name, Bytes(method, request), options));
            foreach (var response in handler((IMessage)request)) responses.Writer.TryWrite(Parse<TResponse>(response));
            responses.Writer.Complete();
        });
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(requests, new ChannelReaderStream<TResponse>(responses.Reader, options.CancellationToken),
            Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => new Metadata(), () => responses.Writer.TryComplete());
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException("The client under test makes asynchronous calls only");

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException("The Gateway API has no client-streaming call");

    private static byte[] Bytes<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request) => ((IMessage)request!).ToByteArray();

    /// <summary>The answer re-parsed from its bytes, as a transport would hand it over.</summary>
    private static TResponse Parse<TResponse>(IMessage answer) where TResponse : class
    {
        var parsed = (IMessage)Activator.CreateInstance<TResponse>();
        parsed.MergeFrom(answer.ToByteArray());
        return (TResponse)parsed;
    }

    private static RpcException Unimplemented<TRequest, TResponse>(Method<TRequest, TResponse> method) =>
        new(new Status(StatusCode.Unimplemented, $"No fake handler for {method.FullName}"));

    /// <summary>Responses queued by the fake, read the way a transport's response stream is read.</summary>
    private sealed class ChannelReaderStream<T>(ChannelReader<T> reader, CancellationToken callToken) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            callToken.ThrowIfCancellationRequested();
            await Task.Yield();
            if (!await reader.WaitToReadAsync(cancellationToken)) return false;
            Current = await reader.ReadAsync(cancellationToken);
            return true;
        }
    }

    /// <summary>The request side of a fake duplex call: the first request is answered, the rest are ignored.</summary>
    private sealed class FirstRequestWriter<T>(Action<T> answer) : IClientStreamWriter<T>
    {
        private int _written;

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(T message)
        {
            if (Interlocked.Increment(ref _written) == 1) answer(message);
            return Task.CompletedTask;
        }

        public Task CompleteAsync() => Task.CompletedTask;
    }
}

internal sealed record RecordedCall(string Method, byte[] Request, CallOptions Options)
{
    /// <summary>When the call reached the fake: a deadline is measured from here, not from when the test began.</summary>
    public DateTime At { get; } = DateTime.UtcNow;
}
