using Google.Protobuf;
using Grpc.Core;

namespace Fabric.Grpc;

/// <summary>
/// gRPC errors with their <c>google.rpc.Status</c> details, carried in the <c>grpc-status-details-bin</c> trailer (a
/// Fabric gateway puts its <c>gateway.ErrorDetail</c> entries there).
/// </summary>
public static class RpcErrors
{
    public const string TrailerName = "grpc-status-details-bin";

    /// <summary>An error with a status code, a message, optionally details and other trailers, and the exception that caused it.</summary>
    public static RpcException Create(StatusCode code, string detail, Google.Rpc.Status? details = null, Metadata? trailers = null, Exception? cause = null)
    {
        trailers = trailers is null ? new Metadata() : [.. trailers];
        if (details is not null)
        {
            details.Code = (int)code;
            if (details.Message.Length == 0) details.Message = detail;
            trailers.Add(TrailerName, details.ToByteArray());
        }
        return new RpcException(new Status(code, detail, cause), trailers);
    }

    /// <summary>The details the server sent with an error, or null when it sent none or they do not parse.</summary>
    public static Google.Rpc.Status? GetStatusDetails(this RpcException error)
    {
        var bytes = error.Trailers.GetValueBytes(TrailerName);
        if (bytes is null) return null;
        try
        {
            return Google.Rpc.Status.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null; // a malformed trailer must not hide the error it came with
        }
    }
}
