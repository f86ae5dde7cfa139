using Fabric.Grpc;
using Gateway;
using Protos;

namespace Fabric.Client.Internal;

/// <summary>The RPCs this client calls: the peer's Gateway service and its Deliver service (block events).</summary>
internal static class GatewayMethods
{
    private const string GatewayService = "gateway.Gateway";
    private const string DeliverService = "protos.Deliver";

    public static readonly Method<EvaluateRequest, EvaluateResponse> Evaluate =
        new(MethodType.Unary, GatewayService, "Evaluate", EvaluateRequest.Parser, EvaluateResponse.Parser);

    public static readonly Method<EndorseRequest, EndorseResponse> Endorse =
        new(MethodType.Unary, GatewayService, "Endorse", EndorseRequest.Parser, EndorseResponse.Parser);

    public static readonly Method<global::Gateway.SubmitRequest, SubmitResponse> Submit =
        new(MethodType.Unary, GatewayService, "Submit", global::Gateway.SubmitRequest.Parser, SubmitResponse.Parser);

    public static readonly Method<SignedCommitStatusRequest, CommitStatusResponse> CommitStatus =
        new(MethodType.Unary, GatewayService, "CommitStatus", SignedCommitStatusRequest.Parser, CommitStatusResponse.Parser);

    public static readonly Method<SignedChaincodeEventsRequest, ChaincodeEventsResponse> ChaincodeEvents =
        new(MethodType.ServerStreaming, GatewayService, "ChaincodeEvents", SignedChaincodeEventsRequest.Parser, ChaincodeEventsResponse.Parser);

    public static readonly Method<Common.Envelope, DeliverResponse> Deliver =
        new(MethodType.DuplexStreaming, DeliverService, "Deliver", Common.Envelope.Parser, DeliverResponse.Parser);

    public static readonly Method<Common.Envelope, DeliverResponse> DeliverFiltered =
        new(MethodType.DuplexStreaming, DeliverService, "DeliverFiltered", Common.Envelope.Parser, DeliverResponse.Parser);
}
