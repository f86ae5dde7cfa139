using Fabric.Grpc;
using Grpc.Core;

namespace Fabric.Client;

/// <summary>Reads the gateway's <c>gateway.ErrorDetail</c> entries out of a gRPC error's <c>google.rpc.Status</c>.</summary>
internal static class GatewayErrorDetails
{
    private const string ErrorDetailTypeUrl = "type.googleapis.com/gateway.ErrorDetail";

    public static IReadOnlyList<ErrorDetail> From(RpcException error)
    {
        var status = error.GetStatusDetails();
        if (status is null) return [];
        var result = new List<ErrorDetail>();
        foreach (var any in status.Details)
        {
            // Other detail types may be added by intermediaries; they are not the gateway's and are skipped.
            if (any.TypeUrl != ErrorDetailTypeUrl) continue;
            var detail = global::Gateway.ErrorDetail.Parser.ParseFrom(any.Value);
            result.Add(new ErrorDetail(detail.Address, detail.MspId, detail.Message));
        }
        return result;
    }
}
