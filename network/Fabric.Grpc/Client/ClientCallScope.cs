using System.Net.Http;
using Fabric.Grpc.Wire;

namespace Fabric.Grpc.Client;

/// <summary>
/// The cancellation of one client call: the caller's token, the deadline (a local timer beside the
/// <c>grpc-timeout</c> header) and an explicit cancel. Turns whatever ended the call into an <see cref="RpcException"/>.
/// </summary>
internal sealed class ClientCallScope : IDisposable
{
    private readonly CancellationTokenSource? deadlineTimer;
    private readonly CancellationTokenSource linked;
    private readonly CancellationToken callerToken;
    private readonly CancellationToken extraToken;

    private ClientCallScope(TimeSpan? timeout, CancellationToken callerToken, CancellationToken extraToken)
    {
        Timeout = timeout;
        this.callerToken = callerToken;
        this.extraToken = extraToken;
        if (timeout is { } t && t.TotalMilliseconds < uint.MaxValue - 1)
            deadlineTimer = new CancellationTokenSource(t);
        linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, extraToken, deadlineTimer?.Token ?? default);
    }

    /// <summary>Time left until the deadline when the call started; null when there is none.</summary>
    public TimeSpan? Timeout { get; }

    public CancellationToken Token => linked.Token;

    public bool DeadlineExceeded => deadlineTimer?.IsCancellationRequested == true;

    /// <summary>Starts the scope; a deadline already past fails the call before anything is sent.</summary>
    public static ClientCallScope Start(CallOptions options, CancellationToken extraToken = default)
    {
        TimeSpan? timeout = null;
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            timeout = deadline.ToUniversalTime() - DateTime.UtcNow;
            if (timeout <= TimeSpan.Zero) throw new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        options.CancellationToken.ThrowIfCancellationRequested();
        return new ClientCallScope(timeout, options.CancellationToken, extraToken);
    }

    public void Cancel()
    {
        try { linked.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>What a failure means to the caller, as a gRPC status.</summary>
    public RpcException Translate(Exception error)
    {
        if (error is RpcException rpc) return rpc;
        if (DeadlineExceeded) return new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded", inner: error);
        if (linked.IsCancellationRequested || callerToken.IsCancellationRequested || extraToken.IsCancellationRequested)
            return new RpcException(StatusCode.Cancelled, "Call cancelled by the client", inner: error);
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException protocol)
                return new RpcException(StatusMapping.FromHttp2Error(protocol.ErrorCode), $"HTTP/2 error {protocol.ErrorCode:x}: {protocol.Message}", inner: error);
        }
        return error switch
        {
            HttpRequestException => new RpcException(StatusCode.Unavailable, $"Cannot reach the server: {error.Message}", inner: error),
            IOException => new RpcException(StatusCode.Unavailable, $"Connection lost: {error.Message}", inner: error),
            // Nobody on this side cancelled (that was handled above): the transport gave the request up, e.g. a TLS
            // connection the server closed while the request body was opening. CANCELLED would blame the caller.
            OperationCanceledException => new RpcException(StatusCode.Unavailable, $"The connection ended the call: {error.Message}", inner: error),
            _ => new RpcException(StatusCode.Internal, $"Call failed: {error.GetType().Name}: {error.Message}", inner: error),
        };
    }

    public void Dispose()
    {
        linked.Dispose();
        deadlineTimer?.Dispose();
    }
}
