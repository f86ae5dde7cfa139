using Fabric.Grpc.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fabric.Grpc.Server;

/// <summary>
/// The one endpoint of the server: checks that a request is gRPC, finds its method by path and runs it
/// as a <see cref="ServerCall"/>. Unknown methods get UNIMPLEMENTED as a trailers-only response.
/// </summary>
internal sealed class GrpcRequestDispatcher(IReadOnlyDictionary<string, ServerMethod> methods, GrpcServerOptions options, CancellationToken stopping, ILogger logger)
{
    private int activeCalls;

    /// <summary>Waits until no call is running (after shutdown cancelled them), so their statuses leave before Kestrel's GOAWAY.</summary>
    public async Task WaitForCallsAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref activeCalls) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(10).ConfigureAwait(false);
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.AcceptEncoding] = GrpcProtocol.SupportedEncodings;

        var path = http.Request.Path.Value ?? "";
        if (!methods.TryGetValue(path, out var method))
        {
            logger.LogDebug("Unknown method {Method}", path);
            await TrailersOnlyAsync(http, StatusCode.Unimplemented, $"Method {path} is not implemented").ConfigureAwait(false);
            return;
        }

        TimeSpan? timeout = null;
        var timeoutHeader = http.Request.Headers[GrpcProtocol.Timeout].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (!GrpcTimeoutHeader.TryParse(timeoutHeader, out var parsed))
            {
                await TrailersOnlyAsync(http, StatusCode.Internal, $"Malformed grpc-timeout '{timeoutHeader}'").ConfigureAwait(false);
                return;
            }
            timeout = parsed;
        }

        Interlocked.Increment(ref activeCalls);
        try
        {
            using var call = new ServerCall(http, timeout, options, stopping, logger);
            await call.RunAsync(method.HandleAsync).ConfigureAwait(false);
            if (method.SingleRequest) await call.DrainRequestAsync().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref activeCalls);
        }
    }

    private static Task TrailersOnlyAsync(HttpContext http, StatusCode code, string message)
    {
        http.Response.Headers[GrpcProtocol.Status] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers[GrpcProtocol.Message] = GrpcMessageEncoding.Encode(message);
        return http.Response.CompleteAsync();
    }
}
