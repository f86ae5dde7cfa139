using System.Text.Json;
using Grpc.Core;
using Fabric.Grpc;
using Gateway;
using Google.Protobuf;

namespace Fabric.Client.Tests;

/// <summary>The gateway errors a real Fabric 2.5 peer sent (13-fail, 14-richquery-error), surfaced as typed exceptions.</summary>
public class RecordedErrorTests
{
    internal static RecordedError Load(string group, string call)
    {
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vectors.GatewayDir, group, $"01-{call}-call.json"))).RootElement;
        var headers = json.GetProperty("response_headers").EnumerateArray().Select(h => (h[0].GetString()!, h[1].GetString()!)).ToList();
        string Header(string name) => headers.Single(h => h.Item1 == name).Item2;
        return new RecordedError((StatusCode)int.Parse(Header("grpc-status")), Header("grpc-message"), Header("grpc-status-details-bin"),
            Google.Rpc.Status.Parser.ParseFrom(Vectors.Bytes($"{group}/01-{call}-status-details.bin")));
    }

    internal sealed record RecordedError(StatusCode Code, string Message, string DetailsTrailer, Google.Rpc.Status Status)
    {
        /// <summary>As the transport surfaces it: the recorded trailer's bytes (it is base64, often unpadded, on the wire).</summary>
        public RpcException ToRpcException()
        {
            var base64 = DetailsTrailer.PadRight(DetailsTrailer.Length + (4 - DetailsTrailer.Length % 4) % 4, '=');
            var trailers = new Metadata { { "grpc-status-details-bin", Convert.FromBase64String(base64) } };
            return new RpcException(new global::Grpc.Core.Status(Code, Message), trailers);
        }
    }

    [Fact]
    public async Task Failed_endorsement_becomes_an_endorse_exception_with_the_peer_details()
    {
        var recorded = Load("13-fail", "endorse");
        var fake = new FakeGateway().OnUnary("Endorse", _ => throw recorded.ToRpcException());
        var gateway = Gateway.Connect(fake, Vectors.UserIdentity(), Vectors.UserSigner());
        var proposal = gateway.GetNetwork("mychannel").GetContract("kvcc").NewProposal("fail", new ProposalOptions().AddArguments("asset2"));

        var e = await Assert.ThrowsAsync<EndorseException>(() => proposal.EndorseAsync());

        Assert.Equal(StatusCode.Aborted, e.StatusCode);
        Assert.Equal(proposal.TransactionId, e.TransactionId);
        var detail = Assert.Single(e.Details);
        Assert.Equal("127.0.0.1:7051", detail.Address);
        Assert.Equal("Org1MSP", detail.MspId);
        Assert.Equal("chaincode response 500, deliberate failure after reading asset2 (2 bytes)", detail.Message);
        Assert.Contains(proposal.TransactionId, e.Message);
        Assert.Contains("failed to endorse transaction", e.Message);
    }

    [Fact]
    public async Task Failed_evaluate_becomes_a_gateway_exception_with_the_peer_details()
    {
        var recorded = Load("14-richquery-error", "evaluate");
        var fake = new FakeGateway().OnUnary("Evaluate", _ => throw recorded.ToRpcException());
        var gateway = Gateway.Connect(fake, Vectors.UserIdentity(), Vectors.UserSigner());

        var e = await Assert.ThrowsAsync<GatewayException>(() =>
            gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateTransactionAsync("richQuery", "{}"));

        Assert.Equal(StatusCode.Unknown, e.StatusCode);
        var detail = Assert.Single(e.Details);
        Assert.Equal(("127.0.0.1:7051", "Org1MSP"), (detail.Address, detail.MspId));
        Assert.Equal(ExpectedDetailMessage("14-richquery-error", "evaluate"), detail.Message);
        Assert.Same(e.InnerException, e.RpcException);
    }

    [Fact]
    public async Task Submit_and_commit_status_failures_carry_the_transaction_id()
    {
        var fake = new FakeGateway()
            .OnUnary("Endorse", _ => Vectors.Parse(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin"))
            .OnUnary("Submit", _ => throw RpcErrors.Create(StatusCode.FailedPrecondition, "orderer said no"))
            .OnUnary("CommitStatus", _ => throw RpcErrors.Create(StatusCode.PermissionDenied, "not yours"));
        var gateway = Gateway.Connect(fake, Vectors.UserIdentity(), Vectors.UserSigner());
        var request = Vectors.Parse(EndorseRequest.Parser, "01-put-v1/01-endorse-request.bin");
        var proposed = new ProposedTransaction { TransactionId = request.TransactionId, Proposal = request.ProposedTransaction };
        var transaction = await gateway.NewProposal(proposed.ToByteArray()).EndorseAsync();

        var submit = await Assert.ThrowsAsync<SubmitException>(() => transaction.SubmitAsync());
        Assert.Equal((StatusCode.FailedPrecondition, request.TransactionId), (submit.StatusCode, submit.TransactionId));
        Assert.Empty(submit.Details);

        var commit = gateway.NewCommit(SignedCommitStatusBytes(request.TransactionId, gateway));
        var status = await Assert.ThrowsAsync<CommitStatusException>(() => commit.GetStatusAsync());
        Assert.Equal((StatusCode.PermissionDenied, request.TransactionId), (status.StatusCode, status.TransactionId));
    }

    [Fact]
    public void Malformed_details_trailer_gives_no_details_instead_of_hiding_the_error()
    {
        var e = new GatewayException(RpcErrors.Create(StatusCode.Unavailable, "down", null, new Metadata { { "grpc-status-details-bin", new byte[] { 0xff, 0xff, 0xff } } }));
        Assert.Empty(e.Details);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public void A_status_without_a_message_still_says_what_failed()
    {
        // A deadline passing on the client comes without a message: "Could not verify the ledger: " ended there.
        var e = new GatewayException(new RpcException(new Status(StatusCode.DeadlineExceeded, "")));
        Assert.Equal("gRPC status DeadlineExceeded, without a message", e.Message);
        Assert.Equal("down", new GatewayException(new RpcException(new Status(StatusCode.Unavailable, "down"))).Message);
    }

    private static byte[] SignedCommitStatusBytes(string transactionId, Gateway gateway) =>
        new SignedCommitStatusRequest
        {
            Request = new CommitStatusRequest { ChannelId = "mychannel", TransactionId = transactionId, Identity = ByteString.CopyFrom(gateway.Identity.ToSerializedIdentity()) }.ToByteString(),
        }.ToByteArray();

    private static string ExpectedDetailMessage(string group, string call) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Vectors.GatewayDir, group, $"01-{call}-status-details.json"))).RootElement
            .GetProperty("details")[0].GetProperty("value_decoded").GetProperty("message").GetString()!;
}
