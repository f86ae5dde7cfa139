namespace Fabric.Grpc.Wire;

/// <summary>Status codes for failures below gRPC, per the gRPC spec's HTTP and HTTP/2 error mappings.</summary>
internal static class StatusMapping
{
    /// <summary>An HTTP response without <c>grpc-status</c> (a proxy or a non-gRPC server answered).</summary>
    public static StatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>
    /// The error code of an RST_STREAM or GOAWAY frame that ended a call. SocketsHttpHandler reports both the same way
    /// (an <see cref="System.Net.Http.HttpProtocolException"/> with the code), so the code alone decides. NO_ERROR is
    /// never an error this client detects: the server shut the stream or connection down without answering (a GOAWAY
    /// refusing a stream it never processed, which SocketsHttpHandler has already retried on new connections, or a
    /// lame-duck reset), so the call may be tried again: UNAVAILABLE, as gRPC's own clients report a GOAWAY.
    /// </summary>
    public static StatusCode FromHttp2Error(long errorCode) => errorCode switch
    {
        0x0 => StatusCode.Unavailable,        // NO_ERROR: graceful shutdown (GOAWAY) before the call was answered
        0x7 => StatusCode.Unavailable,        // REFUSED_STREAM
        0x8 => StatusCode.Cancelled,          // CANCEL
        0xb => StatusCode.ResourceExhausted,  // ENHANCE_YOUR_CALM
        0xc => StatusCode.PermissionDenied,   // INADEQUATE_SECURITY
        _ => StatusCode.Internal,
    };
}
