namespace Fabric.Grpc.Wire;

/// <summary>The outcome of a call as carried by <c>grpc-status</c>, <c>grpc-message</c> and <c>grpc-status-details-bin</c>.</summary>
internal readonly record struct GrpcStatus(StatusCode Code, string Detail, Google.Rpc.Status? Details = null)
{
    public static readonly GrpcStatus Ok = new(StatusCode.OK, "");

    public RpcException ToException(Metadata? trailers = null) => new(Code, Detail, Details, trailers);

    public static GrpcStatus From(RpcException e) => new(e.StatusCode, e.Detail, e.StatusDetails);
}
