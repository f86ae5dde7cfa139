using Google.Protobuf;
using Grpc.Core;

namespace Fabric.Grpc;

/// <summary>Describes an RPC whose messages are protobuf messages, for the official <see cref="Method{TRequest, TResponse}"/>.</summary>
/// <example><code>
/// static readonly Method&lt;EndorseRequest, EndorseResponse&gt; Endorse =
///     ProtobufMethod.Create(MethodType.Unary, "gateway.Gateway", "Endorse", EndorseRequest.Parser, EndorseResponse.Parser);
/// </code></example>
public static class ProtobufMethod
{
    public static Method<TRequest, TResponse> Create<TRequest, TResponse>(MethodType type, string serviceName, string name,
        MessageParser<TRequest> requestParser, MessageParser<TResponse> responseParser)
        where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse> =>
        new(type, serviceName, name, Marshaller(requestParser), Marshaller(responseParser));

    private static Marshaller<T> Marshaller<T>(MessageParser<T> parser) where T : IMessage<T> =>
        Marshallers.Create(
            (message, context) =>
            {
                // Serialised straight into the transport's buffer, no intermediate array.
                context.SetPayloadLength(message.CalculateSize());
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
            },
            context => Parse(parser, context));

    /// <summary>
    /// Parses a received message. Bytes that are not a valid message end the call with INTERNAL, as grpc-go's
    /// "error unmarshalling" does, never as a handler fault: Google.Protobuf throws InvalidProtocolBufferException, and
    /// on some malformed input IndexOutOfRange or ArgumentOutOfRange (protocolbuffers/protobuf#26856).
    /// </summary>
    private static T Parse<T>(MessageParser<T> parser, DeserializationContext context) where T : IMessage<T>
    {
        try { return parser.ParseFrom(context.PayloadAsReadOnlySequence()); }
        catch (Exception e) when (e is InvalidProtocolBufferException or IndexOutOfRangeException or ArgumentOutOfRangeException or ArgumentException)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"grpc: error unmarshalling {typeof(T).Name}: {e.Message}", e));
        }
    }
}
