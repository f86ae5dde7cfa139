using Fabric.Protocol.Tests.Vectors;
using Gateway;

namespace Fabric.Protocol.Tests.Transactions;

/// <summary>A failed Gateway call's grpc-status-details-bin: google.rpc.Status holding gateway.ErrorDetail per failed peer.</summary>
public class ErrorDetailVectorTests
{
    public static TheoryData<string> StatusDetails => VectorRows.Of(() =>
        VectorIndex.GatewayFiles.Where(f => f.Type.StartsWith("google.rpc.Status", StringComparison.Ordinal)).Select(f => f.Path));

    [Theory]
    [MemberData(nameof(StatusDetails))]
    public void Status_details_hold_the_error_detail_of_each_failed_peer(string path)
    {
        var call = VectorIndex.GatewayGroups.SelectMany(g => g.Calls).Single(c => c.Files.Any(f => f.Path == VectorRows.Require(path)));
        var recorded = VectorIndex.Json(Path.ChangeExtension(path, ".json"));
        var status = VectorMessages.Read(path, Google.Rpc.Status.Parser);

        Assert.Equal(call.GrpcStatus, status.Code);
        Assert.Equal(call.GrpcMessage, status.Message);
        var any = Assert.Single(status.Details);
        Assert.Equal("type.googleapis.com/gateway.ErrorDetail", any.TypeUrl);
        Assert.True(any.Is(ErrorDetail.Descriptor));
        var detail = any.Unpack<ErrorDetail>();
        var expected = recorded["details"]![0]!["value_decoded"]!;
        Assert.Equal(expected["address"]!.GetValue<string>(), detail.Address);
        Assert.Equal(expected["msp_id"]!.GetValue<string>(), detail.MspId);
        Assert.Equal(expected["message"]!.GetValue<string>(), detail.Message);
        Assert.Equal(("127.0.0.1:7051", "Org1MSP"), (detail.Address, detail.MspId));
    }
}
