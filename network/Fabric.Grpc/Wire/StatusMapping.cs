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

    /// <summary>The error code of an RST_STREAM or GOAWAY frame.</summary>
    public static StatusCode FromHttp2Error(long errorCode) => errorCode switch
    {
        // NO_ERROR before a status arrived: the gRPC spec lists INTERNAL for a stream reset so, but .NET reports a server's
        // graceful GOAWAY (it is shutting down) with the same code, and a server going away is UNAVAILABLE, as grpc-go says.
        0x0 => StatusCode.Unavailable,        // NO_ERROR
        0x7 => StatusCode.Unavailable,        // REFUSED_STREAM
        0x8 => StatusCode.Cancelled,          // CANCEL
        0xb => StatusCode.ResourceExhausted,  // ENHANCE_YOUR_CALM
        0xc => StatusCode.PermissionDenied,   // INADEQUATE_SECURITY
        _ => StatusCode.Internal,
    };
}
