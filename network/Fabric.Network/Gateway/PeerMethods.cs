using Grpc.Core;
using Fabric.Grpc;
using Gateway;
using Protos;

namespace Fabric.Network.Gateway;

/// <summary>The gRPC methods a Fabric 2.5 peer serves that this network implements.</summary>
public static class PeerMethods
{
    public static readonly Method<EndorseRequest, EndorseResponse> Endorse =
        ProtobufMethod.Create(MethodType.Unary, "gateway.Gateway", "Endorse", EndorseRequest.Parser, EndorseResponse.Parser);
    public static readonly Method<SubmitRequest, SubmitResponse> Submit =
        ProtobufMethod.Create(MethodType.Unary, "gateway.Gateway", "Submit", SubmitRequest.Parser, SubmitResponse.Parser);
    public static readonly Method<SignedCommitStatusRequest, CommitStatusResponse> CommitStatus =
        ProtobufMethod.Create(MethodType.Unary, "gateway.Gateway", "CommitStatus", SignedCommitStatusRequest.Parser, CommitStatusResponse.Parser);
    public static readonly Method<EvaluateRequest, EvaluateResponse> Evaluate =
        ProtobufMethod.Create(MethodType.Unary, "gateway.Gateway", "Evaluate", EvaluateRequest.Parser, EvaluateResponse.Parser);
    public static readonly Method<SignedChaincodeEventsRequest, ChaincodeEventsResponse> ChaincodeEvents =
        ProtobufMethod.Create(MethodType.ServerStreaming, "gateway.Gateway", "ChaincodeEvents", SignedChaincodeEventsRequest.Parser, ChaincodeEventsResponse.Parser);

    public static readonly Method<Common.Envelope, DeliverResponse> Deliver =
        ProtobufMethod.Create(MethodType.DuplexStreaming, "protos.Deliver", "Deliver", Common.Envelope.Parser, DeliverResponse.Parser);
    public static readonly Method<Common.Envelope, DeliverResponse> DeliverFiltered =
        ProtobufMethod.Create(MethodType.DuplexStreaming, "protos.Deliver", "DeliverFiltered", Common.Envelope.Parser, DeliverResponse.Parser);
    public static readonly Method<Common.Envelope, DeliverResponse> DeliverWithPrivateData =
        ProtobufMethod.Create(MethodType.DuplexStreaming, "protos.Deliver", "DeliverWithPrivateData", Common.Envelope.Parser, DeliverResponse.Parser);
}
