using Common;
using Gateway;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Protos;

namespace Fabric.Protocol.Tests.Interop;

/// <summary>
/// One populated instance of every gateway.proto message and google.rpc.Status, built in C# (every field
/// set, repeated fields with two or more entries, nested messages), for Node to decode.
/// </summary>
public static class GatewaySamples
{
    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    private static SignedProposal Proposal(string tag) => new() { ProposalBytes = Bytes($"cs-proposal-{tag}"), Signature = Bytes($"cs-sig-{tag}") };

    private static Envelope Envelope(string tag) => new() { Payload = Bytes($"cs-payload-{tag}"), Signature = Bytes($"cs-envelope-sig-{tag}") };

    private static ErrorDetail Detail(int n) => new() { Address = $"127.0.0.{n}:7051", MspId = $"Agency{n}MSP", Message = $"endorsement failed ({n}) – ünïcode" };

    private static CommitStatusRequest StatusRequest => new() { TransactionId = "cs-tx-status", ChannelId = "cash", Identity = Bytes("cs-identity-status") };

    private static ChaincodeEventsRequest EventsRequest => new()
    {
        ChannelId = "cash",
        ChaincodeId = "cashtransfer",
        Identity = Bytes("cs-identity-events"),
        StartPosition = new Orderer.SeekPosition { Specified = new Orderer.SeekSpecified { Number = 31 } },
        AfterTransactionId = "cs-tx-after",
    };

    private static ChaincodeEvent Event(string tag) =>
        new() { ChaincodeId = "cashtransfer", TxId = $"cs-tx-{tag}", EventName = $"Redeemed{tag}", Payload = Bytes($"{{\"n\":\"{tag}\"}}") };

    public static IReadOnlyDictionary<string, IMessage> All { get; } = new Dictionary<string, IMessage>
    {
        ["gateway.EndorseRequest"] = new EndorseRequest
        {
            TransactionId = "cs-tx-endorse", ChannelId = "cash", ProposedTransaction = Proposal("endorse"),
            EndorsingOrganizations = { "WFPMSP", "UNHCRMSP" },
        },
        ["gateway.EndorseResponse"] = new EndorseResponse { PreparedTransaction = Envelope("endorsed") },
        ["gateway.SubmitRequest"] = new Gateway.SubmitRequest { TransactionId = "cs-tx-submit", ChannelId = "cash", PreparedTransaction = Envelope("submit") },
        ["gateway.SubmitResponse"] = new SubmitResponse(),
        ["gateway.SignedCommitStatusRequest"] = new SignedCommitStatusRequest { Request = StatusRequest.ToByteString(), Signature = Bytes("cs-status-sig") },
        ["gateway.CommitStatusRequest"] = StatusRequest,
        ["gateway.CommitStatusResponse"] = new CommitStatusResponse { Result = TxValidationCode.EndorsementPolicyFailure, BlockNumber = 9_007_199_254_740_991 },
        ["gateway.EvaluateRequest"] = new EvaluateRequest
        {
            TransactionId = "cs-tx-evaluate", ChannelId = "cash", ProposedTransaction = Proposal("evaluate"),
            TargetOrganizations = { "WFPMSP", "UNWomenMSP", "UNHCRMSP" },
        },
        ["gateway.EvaluateResponse"] = new EvaluateResponse { Result = new Response { Status = 500, Message = "no entitlement", Payload = Bytes("{}") } },
        ["gateway.SignedChaincodeEventsRequest"] = new SignedChaincodeEventsRequest { Request = EventsRequest.ToByteString(), Signature = Bytes("cs-events-sig") },
        ["gateway.ChaincodeEventsRequest"] = EventsRequest,
        ["gateway.ChaincodeEventsResponse"] = new ChaincodeEventsResponse { Events = { Event("1"), Event("2"), Event("3") }, BlockNumber = 77 },
        ["gateway.ErrorDetail"] = Detail(9),
        ["gateway.ProposedTransaction"] = new ProposedTransaction
        {
            TransactionId = "cs-tx-proposed", Proposal = Proposal("proposed"), EndorsingOrganizations = { "UNWomenMSP", "WFPMSP" },
        },
        ["gateway.PreparedTransaction"] = new PreparedTransaction { TransactionId = "cs-tx-prepared", Envelope = Envelope("prepared") },
        ["google.rpc.Status"] = new Google.Rpc.Status
        {
            Code = 2,
            Message = "evaluate call to endorser returned error",
            Details = { Any.Pack(Detail(1)), Any.Pack(Detail(2)) },
        },
    };
}
