using Fabric.Grpc;
using Google.Protobuf;

namespace Fabric.Client;

/// <summary>Reads the gateway's <c>gateway.ErrorDetail</c> entries out of a gRPC error.</summary>
internal static class GatewayErrorDetails
{
    private const string ErrorDetailTypeUrl = "type.googleapis.com/gateway.ErrorDetail";
    private const string StatusDetailsTrailer = "grpc-status-details-bin";

    public static IReadOnlyList<ErrorDetail> From(RpcException error)
    {
        var status = error.StatusDetails ?? FromTrailer(error.Trailers.Get(StatusDetailsTrailer));
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

    /// <summary>The trailer is base64, often unpadded; a malformed one yields no details rather than hiding the error.</summary>
    internal static Google.Rpc.Status? FromTrailer(string? base64)
    {
        if (string.IsNullOrEmpty(base64)) return null;
        var padded = base64.Trim().Replace('-', '+').Replace('_', '/');
        padded = padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '=');
        try
        {
            return Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(padded));
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
