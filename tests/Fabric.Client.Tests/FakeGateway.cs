using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Fabric.Grpc;
using Fabric.Grpc.Client;
using Google.Protobuf;

namespace Fabric.Client.Tests;

/// <summary>
/// An in-process ICallInvoker standing in for a Gateway peer: each call is recorded (method, request bytes,
/// deadline) and answered by a handler registered per method name, which may return a message or throw RpcException.
/// </summary>
internal sealed class FakeGateway : ICallInvoker
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

    public Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
    {
        Calls.Enqueue(new RecordedCall(method.Name, request.ToByteArray(), options));
        options.CancellationToken.ThrowIfCancellationRequested();
        if (!_unary.TryGetValue(method.Name, out var handler))
            throw new RpcException(StatusCode.Unimplemented, $"No fake handler for {method.FullName}");
        var response = handler(request, options);
        // Round-trip through bytes so that the client parses exactly what a server would send.
        return Task.FromResult(method.ResponseParser.ParseFrom(response.ToByteArray()));
    }

    public async IAsyncEnumerable<TResponse> ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
    {
        Calls.Enqueue(new RecordedCall(method.Name, request.ToByteArray(), options));
        if (!_streams.TryGetValue(method.Name, out var handler))
            throw new RpcException(StatusCode.Unimplemented, $"No fake handler for {method.FullName}");
        foreach (var response in handler(request))
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return method.ResponseParser.ParseFrom(response.ToByteArray());
        }
    }

    public IDuplexCall<TRequest, TResponse> Duplex<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
    {
        if (!_streams.TryGetValue(method.Name, out var handler))
            throw new RpcException(StatusCode.Unimplemented, $"No fake handler for {method.FullName}");
        return new FakeDuplex<TRequest, TResponse>(this, method, handler, options);
    }

    private sealed class FakeDuplex<TRequest, TResponse>(FakeGateway owner, Method<TRequest, TResponse> method,
        Func<IMessage, IEnumerable<IMessage>> handler, CallOptions options) : IDuplexCall<TRequest, TResponse>
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
    {
        private readonly Channel<TRequest> _requests = Channel.CreateUnbounded<TRequest>();

        public bool Completed { get; private set; }

        public Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
        {
            owner.Calls.Enqueue(new RecordedCall(method.Name, message.ToByteArray(), options));
            return _requests.Writer.WriteAsync(message, cancellationToken).AsTask();
        }

        public Task CompleteAsync()
        {
            Completed = true;
            _requests.Writer.TryComplete();
            return Task.CompletedTask;
        }

        public IAsyncEnumerable<TResponse> Responses => Read();

        private async IAsyncEnumerable<TResponse> Read([EnumeratorCancellation] CancellationToken ct = default)
        {
            var first = await _requests.Reader.ReadAsync(ct);
            foreach (var response in handler(first))
                yield return method.ResponseParser.ParseFrom(response.ToByteArray());
        }

        public void Cancel() => _requests.Writer.TryComplete();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

internal sealed record RecordedCall(string Method, byte[] Request, CallOptions Options)
{
    /// <summary>When the call reached the fake: a deadline is measured from here, not from when the test began.</summary>
    public DateTime At { get; } = DateTime.UtcNow;
}
