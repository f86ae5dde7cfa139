using Grpc.Core;
using Fabric.Grpc;
using Gateway;
using Google.Protobuf.WellKnownTypes;

namespace Fabric.Network.Gateway;

/// <summary>
/// Gateway errors as a Fabric peer returns them: a status, a message, and in grpc-status-details-bin a
/// google.rpc.Status whose details are one gateway.ErrorDetail (address, MSP id, message) per peer that failed.
/// Messages are cut to <see cref="RpcErrors.MaxDetailLength"/>, as every error the servers send.
/// </summary>
public static class GatewayErrors
{
    public static RpcException Create(StatusCode code, string message, IEnumerable<ErrorDetail>? details = null)
    {
        message = RpcErrors.Bounded(message);
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details ?? []) status.Details.Add(Any.Pack(new ErrorDetail(detail) { Message = RpcErrors.Bounded(detail.Message) }));
        return RpcErrors.Create(code, message, status);
    }

    public static ErrorDetail Detail(string address, string mspId, string message) => new() { Address = address, MspId = mspId, Message = message };
}
