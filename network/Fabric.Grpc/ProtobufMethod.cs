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
            context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));
}
