namespace Fabric.Grpc;

/// <summary>
/// A call that ended with a non-OK status, on either side. On the client it carries what the server sent:
/// status, the decoded <c>grpc-message</c>, the <c>google.rpc.Status</c> from <c>grpc-status-details-bin</c>
/// (Fabric's gateway puts <c>gateway.ErrorDetail</c> entries in it) and the trailers.
/// A server handler throws it to end a call with that status.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(StatusCode status, string detail, Google.Rpc.Status? statusDetails = null, Metadata? trailers = null, Exception? inner = null)
        : base($"Status(StatusCode=\"{status}\", Detail=\"{detail}\")", inner)
    {
        StatusCode = status;
        Detail = detail;
        StatusDetails = statusDetails;
        Trailers = trailers ?? new Metadata();
    }

    public StatusCode StatusCode { get; }
    public string Detail { get; }
    public Google.Rpc.Status? StatusDetails { get; }
    public Metadata Trailers { get; }
}
