using Google.Protobuf;

namespace Fabric.Protocol;

/// <summary>
/// Parses a protobuf message that Fabric nests as bytes inside another one (a payload inside an envelope,
/// a header inside a payload, ...). A malformed one becomes a <see cref="FormatException"/> that says what
/// was expected where, instead of a bare protobuf error.
/// </summary>
/// <example><code>var payload = NestedMessage.Parse(Common.Payload.Parser, envelope.Payload, "Envelope.payload");</code></example>
public static class NestedMessage
{
    /// <summary>Parses <paramref name="bytes"/> as <typeparamref name="T"/>; <paramref name="what"/> names the field for the error.</summary>
    public static T Parse<T>(MessageParser<T> parser, ByteString bytes, string what) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"{what}: expected a serialized {typeof(T).FullName} ({bytes.Length} bytes did not parse: {e.Message})", e);
        }
    }

    /// <summary>Fails with a <see cref="FormatException"/> when a required nested message is absent.</summary>
    public static T Required<T>(T? message, string what) where T : class =>
        message ?? throw new FormatException($"{what}: expected a {typeof(T).FullName}, found none.");
}
