using Grpc.Core;
using Fabric.Grpc;
using Gateway;
using Google.Protobuf.WellKnownTypes;

namespace Fabric.Network.Gateway;

/// <summary>
/// Gateway errors as a Fabric peer returns them: a status, a message, and in grpc-status-details-bin a
/// google.rpc.Status whose details are one gateway.ErrorDetail (address, MSP id, message) per peer that failed.
/// </summary>
public static class GatewayErrors
{
    /// <summary>
    /// The longest message (and detail message) sent back. Messages may quote the request (a transaction id, a
    /// channel name); unbounded, a hostile request made trailers above the client's 64 KiB header limit, and the client
    /// then tore down the whole HTTP/2 connection with every other call on it (found by the fuzzer).
    /// </summary>
    public const int MaxMessageLength = 1024;

    public static RpcException Create(StatusCode code, string message, IEnumerable<ErrorDetail>? details = null)
    {
        message = Bounded(message);
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details ?? []) status.Details.Add(Any.Pack(new ErrorDetail(detail) { Message = Bounded(detail.Message) }));
        return RpcErrors.Create(code, message, status);
    }

    /// <summary>A message or a quoted request value cut to <see cref="MaxMessageLength"/>.</summary>
    public static string Bounded(string message) =>
        message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength), "... (truncated)");

    public static ErrorDetail Detail(string address, string mspId, string message) => new() { Address = address, MspId = mspId, Message = message };
}
