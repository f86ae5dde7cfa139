using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CashTransfer.Testing.NodeCounterparts;
using Grpc.Core;
using Fabric.Grpc;
using Gateway;
using Google.Protobuf;
using Protos;
using GatewayProto = Gateway;

namespace Fabric.Client.Tests;

/// <summary>
/// The same scenario through the official Node client (@hyperledger/fabric-gateway 1.11.0) and through ours, each
/// against its own copy of a scripted Gateway server that answers with recorded Fabric 2.5 responses: both must see
/// the same results, statuses, error details and events, and send the same requests (up to nonce, txid, timestamp
/// and signature).
/// </summary>
[Collection(SerialCollection.Name)]
public class NodeClientParityTests
{
    private static ScriptedGatewayServer.Script RecordedPeer() => new()
    {
        Evaluate = (_, _) => Task.FromResult(Vectors.Parse(EvaluateResponse.Parser, "15-get/01-evaluate-response.bin")),
        Endorse = (request, _) => FunctionOf(request.ProposedTransaction) == "fail"
            ? throw RecordedErrorTests.Load("13-fail", "endorse").ToRpcException()
            : Task.FromResult(Vectors.Parse(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin")),
        Submit = (_, _) => Task.FromResult(new SubmitResponse()),
        CommitStatus = (_, _) => Task.FromResult(Vectors.Parse(CommitStatusResponse.Parser, "01-put-v1/03-commitstatus-response.bin")),
        ChaincodeEvents = async (_, responses, _) =>
        {
            await responses.WriteAsync(Vectors.Parse(ChaincodeEventsResponse.Parser, "16-chaincode-events/01-chaincodeevents-response-1.bin"));
            await responses.WriteAsync(Vectors.Parse(ChaincodeEventsResponse.Parser, "16-chaincode-events/01-chaincodeevents-response-2.bin"));
        },
    };

    [Fact]
    public async Task Our_client_and_the_official_node_client_behave_alike()
    {
        await using var nodeServer = await ScriptedGatewayServer.StartAsync(RecordedPeer());
        await using var ourServer = await ScriptedGatewayServer.StartAsync(RecordedPeer());

        var nodeOutput = await RunNodeScenarioAsync(nodeServer.Address);
        var ourOutput = await RunOurScenarioAsync(ourServer);

        // The scenario really ran: the recorded answers came through the Node client.
        Assert.Equal("v2", (string?)nodeOutput["evaluate"]);
        Assert.Equal(23, (int?)nodeOutput["status"]?["blockNumber"]);
        Assert.Equal("EndorseError", (string?)nodeOutput["endorseError"]?["name"]);
        Assert.Single(nodeOutput["endorseError"]!["details"]!.AsArray());
        Assert.Equal(2, nodeOutput["events"]!.AsArray().Count);
        Assert.Equal(nodeOutput.ToJsonString(), ourOutput.ToJsonString());
        Assert.Equal(nodeServer.MethodNames, ourServer.MethodNames);
        foreach (var (node, ours) in nodeServer.Calls.Zip(ourServer.Calls))
            Assert.Equal(Normalise(node), Normalise(ours));
    }

    private static async Task<JsonNode> RunOurScenarioAsync(ScriptedGatewayServer server)
    {
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());
        var contract = gateway.GetNetwork("mychannel").GetContract("kvcc");
        var output = new JsonObject
        {
            ["evaluate"] = Encoding.UTF8.GetString(await contract.EvaluateTransactionAsync("get", "asset2")),
        };
        var submitted = await contract.SubmitAsync("put", new ProposalOptions().AddArguments("asset1", "v1"));
        output["submitResult"] = Encoding.UTF8.GetString(submitted.Result);
        var status = await submitted.GetStatusAsync();
        output["status"] = new JsonObject { ["code"] = (int)status.Code, ["blockNumber"] = status.BlockNumber, ["successful"] = status.Successful };
        try
        {
            await contract.SubmitTransactionAsync("fail", "asset2");
            output["endorseError"] = null;
        }
        catch (EndorseException e)
        {
            output["endorseError"] = new JsonObject
            {
                ["name"] = "EndorseError",
                ["code"] = (int)e.StatusCode,
                ["details"] = new JsonArray(e.Details.Select(d => (JsonNode)new JsonObject { ["address"] = d.Address, ["message"] = d.Message, ["mspId"] = d.MspId }).ToArray()),
            };
        }
        var events = new JsonArray();
        await foreach (var e in gateway.GetNetwork("mychannel").GetChaincodeEventsAsync("kvcc", new EventsOptions { StartBlock = 23 }))
        {
            events.Add(new JsonObject { ["blockNumber"] = e.BlockNumber, ["transactionId"] = e.TransactionId, ["eventName"] = e.EventName, ["payload"] = Encoding.UTF8.GetString(e.Payload) });
            if (events.Count == 2) break;
        }
        output["events"] = events;
        return output;
    }

    private static async Task<JsonNode> RunNodeScenarioAsync(Uri address)
    {
        InteropNodeFolder.WithPackages(OfficialNodePackages.FabricGateway);
        var msp = Vectors.UserMsp;
        var output = await NodeScript.RunAsync(Path.Combine("gateway", "client-scenario.js"),
            [$"127.0.0.1:{address.Port}", "Org1MSP", Path.Combine(msp, "signcerts", "User1@org1.example.com-cert.pem"), Path.Combine(msp, "keystore", "priv_sk")],
            environment: null, TimeSpan.FromSeconds(90));
        return JsonNode.Parse(output)!;
    }

    private static string FunctionOf(SignedProposal signed)
    {
        var proposal = Protos.Proposal.Parser.ParseFrom(signed.ProposalBytes);
        var payload = ChaincodeProposalPayload.Parser.ParseFrom(proposal.Payload);
        return ChaincodeInvocationSpec.Parser.ParseFrom(payload.Input).ChaincodeSpec.Input.Args[0].ToStringUtf8();
    }

    /// <summary>A request with what must differ between two clients (nonce, txid, timestamp, signatures) taken out.</summary>
    private static string Normalise(RecordedCall call) => call.Method switch
    {
        "Evaluate" => Describe(EvaluateRequest.Parser.ParseFrom(call.Request) is var r ? (r.ChannelId, r.ProposedTransaction, string.Join(",", r.TargetOrganizations)) : default),
        "Endorse" => Describe(EndorseRequest.Parser.ParseFrom(call.Request) is var r ? (r.ChannelId, r.ProposedTransaction, string.Join(",", r.EndorsingOrganizations)) : default),
        "Submit" => GatewayProto.SubmitRequest.Parser.ParseFrom(call.Request) is var s
            ? $"{s.ChannelId} payload={Convert.ToHexString(s.PreparedTransaction.Payload.ToByteArray())} signed={!s.PreparedTransaction.Signature.IsEmpty}" : "",
        "CommitStatus" => CommitStatusRequest.Parser.ParseFrom(SignedCommitStatusRequest.Parser.ParseFrom(call.Request).Request) is var c
            ? $"{c.ChannelId} identity={Convert.ToHexString(c.Identity.ToByteArray())} txid-length={c.TransactionId.Length}" : "",
        // Deterministic: the inner request must be byte-identical.
        "ChaincodeEvents" => Convert.ToHexString(SignedChaincodeEventsRequest.Parser.ParseFrom(call.Request).Request.ToByteArray()),
        var other => throw new InvalidOperationException("Unexpected call " + other),
    };

    private static string Describe((string Channel, SignedProposal Signed, string Orgs) request)
    {
        var (channelHeader, signatureHeader, payload) = RecordedProposalTests.Decode(request.Signed.ProposalBytes);
        channelHeader.TxId = "";
        channelHeader.Timestamp = null;
        return string.Join(" | ", request.Channel, request.Orgs, channelHeader.ToString(),
            Convert.ToHexString(signatureHeader.Creator.ToByteArray()), $"nonce={signatureHeader.Nonce.Length}",
            Convert.ToHexString(payload.ToByteArray()), $"signed={!request.Signed.Signature.IsEmpty}");
    }
}
