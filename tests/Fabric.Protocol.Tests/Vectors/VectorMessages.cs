using Google.Protobuf;

namespace Fabric.Protocol.Tests.Vectors;

/// <summary>Reads vector files as the protobuf types the indexes name.</summary>
public static class VectorMessages
{
    public static T Read<T>(string relativePath, MessageParser<T> parser) where T : IMessage<T> =>
        parser.ParseFrom(VectorsFolder.ReadBytes(relativePath));

    /// <summary>The parser for a type named in gateway/index.json (e.g. "gateway.EndorseRequest").</summary>
    public static MessageParser ParserFor(string indexType) => indexType switch
    {
        "gateway.EndorseRequest" => Gateway.EndorseRequest.Parser,
        "gateway.EndorseResponse" => Gateway.EndorseResponse.Parser,
        "gateway.SubmitRequest" => Gateway.SubmitRequest.Parser,
        "gateway.SubmitResponse" => Gateway.SubmitResponse.Parser,
        "gateway.SignedCommitStatusRequest" => Gateway.SignedCommitStatusRequest.Parser,
        "gateway.CommitStatusResponse" => Gateway.CommitStatusResponse.Parser,
        "gateway.EvaluateRequest" => Gateway.EvaluateRequest.Parser,
        "gateway.EvaluateResponse" => Gateway.EvaluateResponse.Parser,
        "gateway.SignedChaincodeEventsRequest" => Gateway.SignedChaincodeEventsRequest.Parser,
        "gateway.ChaincodeEventsResponse" => Gateway.ChaincodeEventsResponse.Parser,
        _ when indexType.StartsWith("google.rpc.Status", StringComparison.Ordinal) => Google.Rpc.Status.Parser,
        _ => throw new InvalidOperationException($"gateway/index.json names a type this test does not know: {indexType}"),
    };

    /// <summary>The proto full name of the C# type the parser makes, to compare with the index's type name.</summary>
    public static string ProtoName(MessageParser parser) => parser.ParseFrom(ByteString.Empty).Descriptor.FullName;
}
