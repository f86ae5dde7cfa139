using System.Text;
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

    /// <summary>
    /// The longest status message a server sends. Messages may quote the request (a transaction id, a channel name);
    /// unbounded, a hostile request made trailers above a client's 64 KiB header limit, and the client then tore down
    /// the whole HTTP/2 connection with every other call on it (found by the fuzzer). Percent-encoded, 1,024 characters
    /// are at most 9 KiB.
    /// </summary>
    public const int MaxDetailLength = 1024;

    /// <summary>The most bytes of trailers (names and values) an error carries beside its message: what is beyond is left off.</summary>
    public const int MaxTrailerBytes = 16 * 1024;

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

    /// <summary>A message or a quoted request value cut to <see cref="MaxDetailLength"/>.</summary>
    public static string Bounded(string message) =>
        message.Length <= MaxDetailLength ? message : string.Concat(message.AsSpan(0, MaxDetailLength), "... (truncated)");

    /// <summary>
    /// The error as a client can receive it: its message cut to <see cref="MaxDetailLength"/> and its trailers to
    /// <see cref="MaxTrailerBytes"/> (whole entries, in order). The same exception when it is within both.
    /// </summary>
    public static RpcException Bounded(RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var within = new Metadata();
        var budget = MaxTrailerBytes;
        foreach (var entry in error.Trailers)
        {
            budget -= WireBytes(entry);
            if (budget >= 0) within.Add(entry);
        }
        if (error.Status.Detail.Length <= MaxDetailLength && budget >= 0) return error;
        return new RpcException(new Status(error.StatusCode, Bounded(error.Status.Detail), error.Status.DebugException), within);
    }

    /// <summary>An entry's size in a header block: its name and its value as sent (binary values base64-encoded).</summary>
    private static int WireBytes(Metadata.Entry entry) =>
        entry.Key.Length + (entry.IsBinary ? (entry.ValueBytes.Length + 2) / 3 * 4 : Encoding.UTF8.GetByteCount(entry.Value));

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
