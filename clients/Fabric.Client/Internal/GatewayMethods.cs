using Fabric.Grpc;
using Grpc.Core;
using Gateway;
using Protos;

namespace Fabric.Client.Internal;

/// <summary>The RPCs this client calls: the peer's Gateway service and its Deliver service (block events).</summary>
internal static class GatewayMethods
{
    private const string GatewayService = "gateway.Gateway";
    private const string DeliverService = "protos.Deliver";

    public static readonly Method<EvaluateRequest, EvaluateResponse> Evaluate =
        ProtobufMethod.Create(MethodType.Unary, GatewayService, "Evaluate", EvaluateRequest.Parser, EvaluateResponse.Parser);

    public static readonly Method<EndorseRequest, EndorseResponse> Endorse =
        ProtobufMethod.Create(MethodType.Unary, GatewayService, "Endorse", EndorseRequest.Parser, EndorseResponse.Parser);

    public static readonly Method<global::Gateway.SubmitRequest, SubmitResponse> Submit =
        ProtobufMethod.Create(MethodType.Unary, GatewayService, "Submit", global::Gateway.SubmitRequest.Parser, SubmitResponse.Parser);

    public static readonly Method<SignedCommitStatusRequest, CommitStatusResponse> CommitStatus =
        ProtobufMethod.Create(MethodType.Unary, GatewayService, "CommitStatus", SignedCommitStatusRequest.Parser, CommitStatusResponse.Parser);

    public static readonly Method<SignedChaincodeEventsRequest, ChaincodeEventsResponse> ChaincodeEvents =
        ProtobufMethod.Create(MethodType.ServerStreaming, GatewayService, "ChaincodeEvents", SignedChaincodeEventsRequest.Parser, ChaincodeEventsResponse.Parser);

    public static readonly Method<Common.Envelope, DeliverResponse> Deliver =
        ProtobufMethod.Create(MethodType.DuplexStreaming, DeliverService, "Deliver", Common.Envelope.Parser, DeliverResponse.Parser);

    public static readonly Method<Common.Envelope, DeliverResponse> DeliverFiltered =
        ProtobufMethod.Create(MethodType.DuplexStreaming, DeliverService, "DeliverFiltered", Common.Envelope.Parser, DeliverResponse.Parser);

    public static readonly Method<Common.Envelope, DeliverResponse> DeliverWithPrivateData =
        ProtobufMethod.Create(MethodType.DuplexStreaming, DeliverService, "DeliverWithPrivateData", Common.Envelope.Parser, DeliverResponse.Parser);
}
