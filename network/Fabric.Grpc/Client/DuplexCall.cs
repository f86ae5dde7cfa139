using System.Runtime.CompilerServices;
using Fabric.Grpc.Wire;
using Google.Protobuf;

namespace Fabric.Grpc.Client;

/// <summary>
/// A bidirectional call on <see cref="GrpcChannel"/>. The request is sent at once; writes go to the open
/// request body without waiting for the response headers.
/// </summary>
internal sealed class DuplexCall<TRequest, TResponse> : IDuplexCall<TRequest, TResponse>
    where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
{
    private readonly Method<TRequest, TResponse> method;
    private readonly ClientCallScope scope;
    private readonly DuplexRequestContent content = new();
    private readonly Task<HttpResponseMessage> sending;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly int maxSendSize;
    private readonly int maxReceiveSize;
    private GrpcResponse? response;
    private bool responsesTaken;
    private bool finished;
    private RpcException? endStatus;
    private bool endedOk;

    public DuplexCall(HttpMessageInvoker invoker, GrpcRequestFactory requests, GrpcChannelOptions channelOptions, Method<TRequest, TResponse> method, CallOptions options)
    {
        this.method = method;
        maxSendSize = channelOptions.MaxSendMessageSize;
        maxReceiveSize = channelOptions.MaxReceiveMessageSize;
        scope = ClientCallScope.Start(options);
        var request = requests.Create(method.FullName, content, options.Headers, scope.Timeout);
        sending = invoker.SendAsync(request, scope.Token);
        Responses = ReadResponses();
    }

    public IAsyncEnumerable<TResponse> Responses { get; }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ThrowIfEnded();
        var frame = MessageFrame.ToArray(message, maxSendSize);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope.Token);
        await writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            var body = await RequestBodyAsync(linked.Token).ConfigureAwait(false);
            await body.WriteAsync(frame, linked.Token).ConfigureAwait(false);
            await body.FlushAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException && !cancellationToken.IsCancellationRequested)
        {
            ThrowIfEnded(); // a write that failed because the call had ended reports how it ended
            throw scope.Translate(await RequestFailureAsync().ConfigureAwait(false) ?? e);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>
    /// Why the request failed, when a write meets a request body that is already gone (ObjectDisposedException): the
    /// server reset or refused the stream (REFUSED_STREAM, GOAWAY) and SendAsync ends at the same moment, with that
    /// reason or cancelled by the handler (which <see cref="ClientCallScope.Translate"/> reports as UNAVAILABLE unless
    /// this side cancelled). Null when the request has not ended within a short grace.
    /// </summary>
    private async Task<Exception?> RequestFailureAsync()
    {
        await Task.WhenAny(sending, Task.Delay(RequestFailureGrace)).ConfigureAwait(false);
        if (sending.IsFaulted) return sending.Exception!.InnerException;
        return sending.IsCanceled ? new TaskCanceledException(sending) : null;
    }

    private static readonly TimeSpan RequestFailureGrace = TimeSpan.FromSeconds(1);

    private void ThrowIfEnded()
    {
        if (endStatus is not null) throw endStatus;
        if (endedOk) throw new InvalidOperationException("The call has already ended with status OK; no more requests can be written");
    }

    public async Task CompleteAsync()
    {
        await writeLock.WaitAsync().ConfigureAwait(false);
        try { content.Complete(); }
        finally { writeLock.Release(); }
    }

    public void Cancel()
    {
        scope.Cancel();
        content.Abort();
    }

    /// <summary>The open request body; if the call ended before it opened, the call's status.</summary>
    private async Task<Stream> RequestBodyAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAny(content.Stream, sending).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!content.Stream.IsCompleted)
        {
            if (sending.IsFaulted || sending.IsCanceled) await sending.ConfigureAwait(false);
            // Response headers may arrive before the handler hands us the body (the server speaks first, and our
            // continuation can run late under load): that alone is no error. Only a response that already carries
            // its status (trailers-only) or is not gRPC at all ends the call. The response stays open: the reader owns it.
            if (GrpcResponse.EndedBeforeBody(sending.Result) is { } ended) throw ended;
        }
        return await content.Stream.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<TResponse> ReadResponses([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (responsesTaken) throw new InvalidOperationException("The responses of a call can be read only once");
        responsesTaken = true;
        using var registration = cancellationToken.Register(Cancel);
        while (true)
        {
            ReadResult<TResponse> next;
            try
            {
                response ??= await GrpcResponse.OpenAsync(await sending.ConfigureAwait(false), maxReceiveSize, scope.Token).ConfigureAwait(false);
                next = await response.ReadAsync(method.ResponseParser, scope.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                endStatus = scope.Translate(e);
                finished = true;
                content.Abort();
                throw endStatus;
            }
            if (!next.HasMessage) break;
            yield return next.Message;
        }
        endedOk = true;
        finished = true;
    }

    public ValueTask DisposeAsync()
    {
        if (!finished) Cancel();
        content.Abort();
        response?.Dispose();
        if (sending.IsCompletedSuccessfully && response is null) sending.Result.Dispose();
        _ = sending.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        scope.Dispose();
        writeLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
