using System.Text;
using Fabric.Protocol.Identity;
using Gateway;
using GatewayProto = Gateway;
using Google.Protobuf;
using Protos;
using Fabric.Ecdsa;

namespace Fabric.Client.Tests;

/// <summary>
/// Recorded Gateway responses from a real Fabric 2.5 peer, replayed through the client's code paths. The recorded
/// proposal is rebuilt from its bytes so that the transaction ids line up with the recorded envelopes.
/// </summary>
public class RecordedFlowTests
{
    private static (Gateway Gateway, FakeGateway Fake) Connect() 
    {
        var fake = new FakeGateway();
        return (Gateway.Connect(fake, Vectors.UserIdentity(), Vectors.UserSigner()), fake);
    }

    private static Proposal RecordedProposal(Gateway gateway, string group)
    {
        var request = Vectors.Parse(EndorseRequest.Parser, group + "/01-endorse-request.bin");
        var proposed = new ProposedTransaction { TransactionId = request.TransactionId, Proposal = request.ProposedTransaction };
        proposed.EndorsingOrganizations.Add(request.EndorsingOrganizations);
        return gateway.NewProposal(proposed.ToByteArray());
    }

    [Theory]
    [InlineData("01-put-v1", 23ul, TxValidationCode.Valid)]
    [InlineData("02-put-v2", 24ul, TxValidationCode.Valid)]
    [InlineData("12-transient", 30ul, TxValidationCode.Valid)]
    [InlineData("17-mvcc-a", 31ul, TxValidationCode.MvccReadConflict)]
    [InlineData("18-mvcc-b", 31ul, TxValidationCode.Valid)]
    public async Task Endorse_submit_and_commit_status_parse_the_recorded_responses(string group, ulong block, TxValidationCode code)
    {
        var (gateway, fake) = Connect();
        var endorseResponse = Vectors.Parse(EndorseResponse.Parser, group + "/01-endorse-response.bin");
        fake.OnUnary("Endorse", _ => endorseResponse)
            .OnUnary("Submit", _ => Vectors.Parse(SubmitResponse.Parser, group + "/02-submit-response.bin"))
            .OnUnary("CommitStatus", _ => Vectors.Parse(CommitStatusResponse.Parser, group + "/03-commitstatus-response.bin"));

        var proposal = RecordedProposal(gateway, group);
        var transaction = await proposal.EndorseAsync();
        var submitted = await transaction.SubmitAsync();
        var status = await submitted.GetStatusAsync();

        // The endorse request is the recorded one, byte for byte (the proposal was already signed).
        var calls = fake.Calls.ToArray();
        Assert.Equal(Vectors.Bytes(group + "/01-endorse-request.bin"), calls[0].Request);
        // The result is the chaincode response inside the endorsed envelope.
        Assert.Equal(ChaincodeResult(endorseResponse.PreparedTransaction), transaction.Result);
        Assert.Equal("mychannel", transaction.ChannelName);
        // Submit: same payload as the Node client sent, signed by us (ECDSA is randomised, so verify instead of compare).
        var recordedSubmit = Vectors.Parse(GatewayProto.SubmitRequest.Parser, group + "/02-submit-request.bin");
        var ourSubmit = GatewayProto.SubmitRequest.Parser.ParseFrom(calls[1].Request);
        Assert.Equal(recordedSubmit.TransactionId, ourSubmit.TransactionId);
        Assert.Equal(recordedSubmit.ChannelId, ourSubmit.ChannelId);
        Assert.Equal(recordedSubmit.PreparedTransaction.Payload, ourSubmit.PreparedTransaction.Payload);
        Assert.True(Vectors.UserIdentity().Verify(ourSubmit.PreparedTransaction.Payload.Span, ourSubmit.PreparedTransaction.Signature.Span));
        Assert.True(EcdsaSignatures.IsLowS(ourSubmit.PreparedTransaction.Signature.Span));
        // Commit status: the inner request is deterministic, so it equals the recorded bytes exactly.
        var recordedStatus = Vectors.Parse(SignedCommitStatusRequest.Parser, group + "/03-commitstatus-request.bin");
        var ourStatus = SignedCommitStatusRequest.Parser.ParseFrom(calls[2].Request);
        Assert.Equal(recordedStatus.Request, ourStatus.Request);
        Assert.True(Vectors.UserIdentity().Verify(ourStatus.Request.Span, ourStatus.Signature.Span));

        Assert.Equal(["Endorse", "Submit", "CommitStatus"], fake.MethodNames);
        Assert.Equal(new CommitStatus(proposal.TransactionId, code, block), status);
        Assert.Equal(code == TxValidationCode.Valid, status.Successful);
    }

    [Fact]
    public async Task Put_result_is_the_json_the_chaincode_returned()
    {
        var (gateway, fake) = Connect();
        fake.OnUnary("Endorse", _ => Vectors.Parse(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin"));
        var transaction = await RecordedProposal(gateway, "01-put-v1").EndorseAsync();
        Assert.Equal("{\"key\":\"asset1\",\"value\":\"v1\",\"txId\":\"b1f6b9fca6cfcf359fad8303b8ad59dfb1067a19f4fe4f1005b2c692a70e714b\"}",
            Encoding.UTF8.GetString(transaction.Result));
    }

    [Fact]
    public async Task Submit_transaction_throws_commit_exception_for_the_recorded_mvcc_conflict()
    {
        var (gateway, fake) = Connect();
        fake.OnUnary("Endorse", _ => Vectors.Parse(EndorseResponse.Parser, "17-mvcc-a/01-endorse-response.bin"))
            .OnUnary("Submit", _ => new SubmitResponse())
            .OnUnary("CommitStatus", _ => Vectors.Parse(CommitStatusResponse.Parser, "17-mvcc-a/03-commitstatus-response.bin"));

        var e = await Assert.ThrowsAsync<CommitException>(() =>
            gateway.GetNetwork("mychannel").GetContract("kvcc").SubmitTransactionAsync("incr", "counter"));
        Assert.Equal(TxValidationCode.MvccReadConflict, e.Code);
        Assert.Equal(31ul, e.Status.BlockNumber);
        Assert.Equal(TransactionOfLastEndorse(fake), e.TransactionId);
    }

    [Fact]
    public async Task Evaluate_returns_the_payload_of_the_recorded_response()
    {
        var (gateway, fake) = Connect();
        fake.OnUnary("Evaluate", _ => Vectors.Parse(EvaluateResponse.Parser, "15-get/01-evaluate-response.bin"));
        var result = await gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateTransactionAsync("get", "asset2");
        Assert.Equal("v2", Encoding.UTF8.GetString(result));

        var sent = EvaluateRequest.Parser.ParseFrom(fake.Calls.Single().Request);
        var recorded = Vectors.Parse(EvaluateRequest.Parser, "15-get/01-evaluate-request.bin");
        Assert.Equal(recorded.ChannelId, sent.ChannelId);
        var (_, _, ourPayload) = RecordedProposalTests.Decode(sent.ProposedTransaction.ProposalBytes);
        var (_, _, recPayload) = RecordedProposalTests.Decode(recorded.ProposedTransaction.ProposalBytes);
        Assert.Equal(recPayload.Input, ourPayload.Input);
    }

    [Fact]
    public async Task Chaincode_events_request_equals_the_recorded_one_and_yields_its_events()
    {
        var (gateway, fake) = Connect();
        fake.OnStream("ChaincodeEvents", _ =>
        [
            Vectors.Parse(ChaincodeEventsResponse.Parser, "16-chaincode-events/01-chaincodeevents-response-1.bin"),
            Vectors.Parse(ChaincodeEventsResponse.Parser, "16-chaincode-events/01-chaincodeevents-response-2.bin"),
        ]);

        var events = new List<ChaincodeEvent>();
        await foreach (var e in gateway.GetNetwork("mychannel").GetChaincodeEventsAsync("kvcc", new EventsOptions { StartBlock = 23 }))
            events.Add(e);

        var recorded = Vectors.Parse(SignedChaincodeEventsRequest.Parser, "16-chaincode-events/01-chaincodeevents-request.bin");
        var sent = SignedChaincodeEventsRequest.Parser.ParseFrom(fake.Calls.Single().Request);
        Assert.Equal(recorded.Request, sent.Request);
        Assert.True(Vectors.UserIdentity().Verify(sent.Request.Span, sent.Signature.Span));

        Assert.Equal([23ul, 24ul], events.Select(e => e.BlockNumber));
        Assert.Equal(["b1f6b9fca6cfcf359fad8303b8ad59dfb1067a19f4fe4f1005b2c692a70e714b", "9996b54eb3e63c5f2f3d0dc1ff69d8976f97ea72f6dc7081109b229354dfa867"],
            events.Select(e => e.TransactionId));
        Assert.All(events, e => Assert.Equal(("kvcc", "Put"), (e.ChaincodeName, e.EventName)));
        Assert.Equal("{\"key\":\"asset1\",\"value\":\"v1\"}", Encoding.UTF8.GetString(events[0].Payload));
    }

    [Fact]
    public async Task Chaincode_events_resume_after_the_checkpointed_transaction()
    {
        var (gateway, fake) = Connect();
        fake.OnStream("ChaincodeEvents", _ => []);
        var checkpointer = new InMemoryCheckpointer();
        await checkpointer.CheckpointTransactionAsync(23, "b1f6b9fca6cf");

        await foreach (var _ in gateway.GetNetwork("mychannel").GetChaincodeEventsAsync("kvcc", new EventsOptions { StartBlock = 5, Checkpoint = checkpointer })) { }

        var request = GatewayProto.ChaincodeEventsRequest.Parser.ParseFrom(SignedChaincodeEventsRequest.Parser.ParseFrom(fake.Calls.Single().Request).Request);
        Assert.Equal(23ul, request.StartPosition.Specified.Number);
        Assert.Equal("b1f6b9fca6cf", request.AfterTransactionId);
    }

    [Fact]
    public async Task Chaincode_events_without_a_start_ask_for_the_next_commit()
    {
        var (gateway, fake) = Connect();
        fake.OnStream("ChaincodeEvents", _ => []);
        await foreach (var _ in gateway.GetNetwork("mychannel").GetChaincodeEventsAsync("kvcc")) { }

        var request = GatewayProto.ChaincodeEventsRequest.Parser.ParseFrom(SignedChaincodeEventsRequest.Parser.ParseFrom(fake.Calls.Single().Request).Request);
        // SeekPosition field 4 (next_commit), an empty message; newest/oldest/specified unset.
        Assert.Equal(new byte[] { 0x22, 0x00 }, request.StartPosition.ToByteArray());
        Assert.Equal(Orderer.SeekPosition.TypeOneofCase.None, request.StartPosition.TypeCase);
    }

    private static byte[] ChaincodeResult(Common.Envelope envelope)
    {
        var payload = Common.Payload.Parser.ParseFrom(envelope.Payload);
        var action = ChaincodeActionPayload.Parser.ParseFrom(Protos.Transaction.Parser.ParseFrom(payload.Data).Actions[0].Payload);
        var response = ProposalResponsePayload.Parser.ParseFrom(action.Action.ProposalResponsePayload);
        return ChaincodeAction.Parser.ParseFrom(response.Extension).Response.Payload.ToByteArray();
    }

    private static string TransactionOfLastEndorse(FakeGateway fake) =>
        EndorseRequest.Parser.ParseFrom(fake.Calls.Last(c => c.Method == "Endorse").Request).TransactionId;
}
