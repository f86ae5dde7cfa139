using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Fabric.Grpc;
using Gateway;

namespace Fabric.Client.Tests;

/// <summary>
/// The recorded Fabric 2.5 responses and errors replayed by a real gRPC server (Fabric.Grpc over h2c) and read by the
/// client through GrpcChannel: the error details travel as grpc-status-details-bin, as on the real peer.
/// </summary>
[Collection(SerialCollection.Name)]
public class ServerReplayTests
{
    [Fact]
    public async Task Recorded_endorse_failure_arrives_over_the_wire_as_an_endorse_exception_with_details()
    {
        var recorded = RecordedErrorTests.Load("13-fail", "endorse");
        await using var server = await ScriptedGatewayServer.StartAsync(new() { Endorse = (_, _) => throw recorded.ToRpcException() });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());
        var proposal = gateway.GetNetwork("mychannel").GetContract("kvcc").NewProposal("fail", new ProposalOptions().AddArguments("asset2"));

        var e = await Assert.ThrowsAsync<EndorseException>(() => proposal.EndorseAsync());

        Assert.Equal(StatusCode.Aborted, e.StatusCode);
        Assert.Equal(proposal.TransactionId, e.TransactionId);
        Assert.Equal("failed to endorse transaction, see attached details for more info", e.RpcException.Status.Detail);
        Assert.Equal([new ErrorDetail("127.0.0.1:7051", "Org1MSP", "chaincode response 500, deliberate failure after reading asset2 (2 bytes)")], e.Details);
    }

    [Fact]
    public async Task Recorded_evaluate_failure_arrives_over_the_wire_as_a_gateway_exception_with_details()
    {
        var recorded = RecordedErrorTests.Load("14-richquery-error", "evaluate");
        await using var server = await ScriptedGatewayServer.StartAsync(new() { Evaluate = (_, _) => throw recorded.ToRpcException() });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());

        var e = await Assert.ThrowsAsync<GatewayException>(() =>
            gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateTransactionAsync("richQuery", "{}"));

        Assert.Equal(StatusCode.Unknown, e.StatusCode);
        var detail = Assert.Single(e.Details);
        Assert.Equal("Org1MSP", detail.MspId);
        Assert.EndsWith("ExecuteQuery not supported for leveldb", detail.Message);
    }

    [Fact]
    public async Task Recorded_submit_flow_over_the_wire()
    {
        const string group = "01-put-v1";
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Endorse = (_, _) => Task.FromResult(Vectors.Parse(EndorseResponse.Parser, group + "/01-endorse-response.bin")),
            Submit = (_, _) => Task.FromResult(Vectors.Parse(SubmitResponse.Parser, group + "/02-submit-response.bin")),
            CommitStatus = (_, _) => Task.FromResult(Vectors.Parse(CommitStatusResponse.Parser, group + "/03-commitstatus-response.bin")),
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());

        var result = await gateway.GetNetwork("mychannel").GetContract("kvcc").SubmitTransactionAsync("put", "asset1", "v1");

        Assert.StartsWith("{\"key\":\"asset1\",\"value\":\"v1\"", Encoding.UTF8.GetString(result));
        Assert.Equal(["Endorse", "Submit", "CommitStatus"], server.MethodNames);
    }

    [Fact]
    public async Task Recorded_chaincode_events_stream_over_the_wire()
    {
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            ChaincodeEvents = async (_, responses, _) =>
            {
                await responses.WriteAsync(Vectors.Parse(ChaincodeEventsResponse.Parser, "16-chaincode-events/01-chaincodeevents-response-1.bin"));
                await responses.WriteAsync(Vectors.Parse(ChaincodeEventsResponse.Parser, "16-chaincode-events/01-chaincodeevents-response-2.bin"));
            },
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());

        var events = new List<ChaincodeEvent>();
        await foreach (var e in gateway.GetNetwork("mychannel").GetChaincodeEventsAsync("kvcc", new EventsOptions { StartBlock = 23 }))
            events.Add(e);

        Assert.Equal([23ul, 24ul], events.Select(e => e.BlockNumber));
        Assert.Equal("{\"key\":\"asset1\",\"value\":\"v2\"}", Encoding.UTF8.GetString(events[1].Payload));
    }
}
