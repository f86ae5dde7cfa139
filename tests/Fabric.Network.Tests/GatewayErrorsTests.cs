using Fabric.Grpc;
using Google.Protobuf;
using Grpc.Core;
using Fabric.Network.Gateway;

namespace Fabric.Network.Tests;

public class GatewayErrorsTests
{
    [Fact]
    public void A_message_quoting_a_huge_request_value_is_cut_so_that_the_trailers_stay_small()
    {
        var huge = new string('x', 4 * 1024 * 1024);
        var error = GatewayErrors.Create(StatusCode.Aborted, $"transaction {huge} failed", [GatewayErrors.Detail("peer0", "WFPMSP", huge)]);
        // Message carries the status detail with both the current transport's and Grpc.Core's RpcException.
        Assert.True(error.Message.Length <= RpcErrors.MaxDetailLength + 200, $"{error.Message.Length} characters");
        Assert.Contains("transaction xxx", error.Message);
        Assert.Contains("(truncated)", error.Message);
    }

    [Fact]
    public void A_short_message_is_sent_as_it_is()
    {
        var error = GatewayErrors.Create(StatusCode.NotFound, "channel 'x' not found");
        Assert.Contains("channel 'x' not found", error.Message);
        Assert.DoesNotContain("(truncated)", error.Message);
    }

    [Fact]
    public void A_signed_request_from_a_huge_unknown_msp_is_refused_with_a_short_message()
    {
        var channel = Support.TestChannel.Instance;
        var hugeMsp = new string('M', 200_000);
        var identity = new Msp.SerializedIdentity { Mspid = hugeMsp, IdBytes = Google.Protobuf.ByteString.CopyFromUtf8(channel.Wfp.CaCertificate.ExportCertificatePem()) };

        var error = Assert.Throws<RpcException>(() => SignedRequestChecker.Check(channel.Context(), channel.Definition.Channel,
            identity.ToByteString(), Google.Protobuf.ByteString.CopyFromUtf8("request"), Google.Protobuf.ByteString.Empty, channel.Policies.Resolve("MAJORITY Endorsement")));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.True(error.Status.Detail.Length <= RpcErrors.MaxDetailLength + 200, $"{error.Status.Detail.Length} characters");
    }
}
