using Fabric.Grpc.Wire;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fabric.Grpc.Server;

/// <summary>
/// One call on the server: the request body as messages, the response as messages then a status, the
/// deadline, and the token that tells the handler to stop. Every write goes through one gate so that
/// the deadline's status and a late handler write cannot interleave.
/// </summary>
internal sealed class ServerCall : IDisposable
{
    private readonly HttpContext http;
    private readonly MessageReader requests;
    private readonly int maxSendSize;
    private readonly ILogger logger;
    private readonly CancellationTokenSource? deadlineTimer;
    private readonly CancellationTokenSource callCancellation;
    private readonly CancellationToken stopping;
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool messageWritten;
    private bool finished;

    public ServerCall(HttpContext http, TimeSpan? timeout, GrpcServerOptions options, CancellationToken stopping, ILogger logger)
    {
        this.http = http;
        this.stopping = stopping;
        this.logger = logger;
        maxSendSize = options.MaxSendMessageSize;
        if (timeout is { } t) deadlineTimer = new CancellationTokenSource(t.TotalMilliseconds < uint.MaxValue - 1 ? t : Timeout.InfiniteTimeSpan);
        callCancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping, deadlineTimer?.Token ?? default);
        var encoding = http.Request.Headers[GrpcProtocol.Encoding].ToString();
        requests = new MessageReader(http.Request.Body, options.MaxReceiveMessageSize, encoding.Length == 0 ? null : encoding, StatusCode.Unimplemented);
        var connection = http.Connection;
        Context = new ServerCallContext(
            http.Request.Path.Value ?? "",
            $"{connection.RemoteIpAddress}:{connection.RemotePort}",
            timeout is { } d ? DateTime.UtcNow + d : DateTime.MaxValue,
            MetadataHeaders.From(http.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")))),
            connection.ClientCertificate,
            callCancellation.Token);
    }

    public ServerCallContext Context { get; }

    public CancellationToken Token => callCancellation.Token;

    /// <summary>Runs the handler and ends the call with its outcome, or with DEADLINE_EXCEEDED if the deadline comes first.</summary>
    public async Task RunAsync(Func<ServerCall, Task> handler)
    {
        Task handling;
        try { handling = handler(this); }
        catch (Exception e) { handling = Task.FromException(e); }

        if (deadlineTimer is not null && !handling.IsCompleted)
        {
            var deadline = Task.Delay(Timeout.Infinite, deadlineTimer.Token);
            if (await Task.WhenAny(handling, deadline).ConfigureAwait(false) == deadline)
            {
                await FinishAsync(new GrpcStatus(StatusCode.DeadlineExceeded, "Deadline Exceeded")).ConfigureAwait(false);
                try { await handling.ConfigureAwait(false); }
                catch (Exception e) { logger.LogDebug(e, "Handler of {Method} ended after its deadline", Context.Method); }
                return;
            }
        }

        GrpcStatus status;
        try
        {
            await handling.ConfigureAwait(false);
            status = GrpcStatus.Ok;
        }
        catch (Exception e) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client reset the stream: its handler's failure is the reset's echo, not a server error.
            logger.LogDebug(e, "Handler of {Method} ended after the client reset the stream", Context.Method);
            return;
        }
        catch (Exception e)
        {
            status = StatusOf(e);
        }
        if (http.RequestAborted.IsCancellationRequested) return; // the client reset the stream: nobody to tell
        await FinishAsync(status).ConfigureAwait(false);
    }

    public async Task<T> ReadSingleRequestAsync<T>(MessageParser<T> parser) where T : IMessage<T>
    {
        var first = await ReadAsync(parser).ConfigureAwait(false);
        if (!first.HasMessage) throw new RpcException(StatusCode.Internal, "The request has no message");
        var extra = await ReadAsync(parser).ConfigureAwait(false);
        if (extra.HasMessage) throw new RpcException(StatusCode.Internal, "More than one request message in a call that takes one");
        return first.Message;
    }

    public async IAsyncEnumerable<T> ReadRequests<T>(MessageParser<T> parser) where T : IMessage<T>
    {
        while (true)
        {
            var next = await ReadAsync(parser).ConfigureAwait(false);
            if (!next.HasMessage) yield break;
            yield return next.Message;
        }
    }

    /// <summary>
    /// Reads the next request message. Once the call is cancelled (the client reset the stream, the deadline passed,
    /// the server is stopping) every read ends the same way, with an OperationCanceledException on the call's token that
    /// says why; Kestrel reports a reset as an IOException, a cancelled read or an early end of the body, by timing.
    /// </summary>
    private async ValueTask<ReadResult<T>> ReadAsync<T>(MessageParser<T> parser) where T : IMessage<T>
    {
        ReadResult<T> next;
        try
        {
            next = await requests.ReadAsync(parser, Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Token.IsCancellationRequested)
        {
            throw new OperationCanceledException(CancelledReason(), e, Token);
        }
        if (!next.HasMessage && Token.IsCancellationRequested) throw new OperationCanceledException(CancelledReason(), Token);
        return next;
    }

    private string CancelledReason() =>
        deadlineTimer?.IsCancellationRequested == true ? "The call's deadline passed"
        : stopping.IsCancellationRequested ? "The server is shutting down"
        : "The client reset the stream";

    /// <summary>
    /// Reads and drops what is left of a request the call did not read (a message over the size limit),
    /// within bounds. Left unread, Kestrel resets the stream while the client is still sending, and the
    /// data still in flight makes Kestrel close the whole connection with the other calls on it.
    /// </summary>
    public async Task DrainRequestAsync()
    {
        const long MaxDrained = 64L * 1024 * 1024;
        if (http.RequestAborted.IsCancellationRequested) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long drained = 0;
            int read;
            while (drained < MaxDrained && (read = await http.Request.Body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
                drained += read;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            logger.LogDebug(e, "Stopped draining the request of {Method}", Context.Method);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Queues one message; streamed messages are flushed at once, a unary response leaves with the trailers.</summary>
    public async Task WriteAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (finished)
            {
                Token.ThrowIfCancellationRequested();
                throw new InvalidOperationException("The call has already ended");
            }
            MessageFrame.Write(http.Response.BodyWriter, message, maxSendSize);
            messageWritten = true;
            if (flush) await http.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task FinishAsync(GrpcStatus status)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (finished) return;
            finished = true;
            var response = http.Response;
            var trailersOnly = !messageWritten && !response.HasStarted;
            Action<string, string> add = trailersOnly ? (k, v) => response.Headers.Append(k, v) : (k, v) => response.AppendTrailer(k, v);
            add(GrpcProtocol.Status, ((int)status.Code).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (status.Detail.Length > 0) add(GrpcProtocol.Message, GrpcMessageEncoding.Encode(status.Detail));
            if (status.Details is not null) add(GrpcProtocol.StatusDetails, StatusDetailsHeader.Encode(status.Details));
            foreach (var (name, value) in Context.ResponseTrailers)
                if (MetadataHeaders.IsCustom(name)) add(name, value);
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (http.RequestAborted.IsCancellationRequested || e is IOException)
        {
            logger.LogDebug(e, "Could not send the status of {Method}: the client is gone", Context.Method);
        }
        finally
        {
            gate.Release();
        }
    }

    private GrpcStatus StatusOf(Exception error)
    {
        switch (error)
        {
            case RpcException rpc:
                foreach (var trailer in rpc.Trailers) Context.ResponseTrailers.Add(trailer);
                return GrpcStatus.From(rpc);
            case OperationCanceledException when deadlineTimer?.IsCancellationRequested == true:
                return new GrpcStatus(StatusCode.DeadlineExceeded, "Deadline Exceeded");
            case OperationCanceledException when stopping.IsCancellationRequested:
                return new GrpcStatus(StatusCode.Unavailable, "The server is shutting down");
            case OperationCanceledException:
                return new GrpcStatus(StatusCode.Cancelled, "Call cancelled by the server");
            default:
                logger.LogError(error, "Handler of {Method} failed", Context.Method);
                return new GrpcStatus(StatusCode.Unknown, "Exception was thrown by handler.");
        }
    }

    public void Dispose()
    {
        callCancellation.Dispose();
        deadlineTimer?.Dispose();
        gate.Dispose();
    }
}
