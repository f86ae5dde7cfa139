using Common;
using Fabric.Protocol.Wire;
using Google.Protobuf;

namespace Fabric.Protocol.Transactions;

/// <summary>
/// The channel and signature headers of an envelope, read without its payload's data: what an orderer's broadcast
/// checks (channel, creator, signature). A transaction's data is most of its bytes, and a full parse would copy and
/// parse it only to be thrown away; a malformed one is for the committing peers to mark, as Fabric's orderer leaves it.
/// </summary>
public sealed record EnvelopeHeader(ChannelHeader Channel, SignatureHeader Signature)
{
    /// <summary>Reads the headers; throws <see cref="FormatException"/> naming the layer that is missing or malformed.</summary>
    public static EnvelopeHeader Read(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var header = NestedMessage.Required(HeaderOf(envelope.Payload), "Payload.header");
        return new EnvelopeHeader(
            NestedMessage.Parse(ChannelHeader.Parser, header.ChannelHeader, "Payload.header.channel_header"),
            NestedMessage.Parse(SignatureHeader.Parser, header.SignatureHeader, "Payload.header.signature_header"));
    }

    private static Header? HeaderOf(ByteString payload)
    {
        int parts;
        ReadOnlySpan<byte> header;
        try { parts = WireFields.Last(payload.Span, 1, out header); }
        catch (FormatException e) { throw new FormatException($"Envelope.payload: expected a serialized Common.Payload ({e.Message})", e); }
        try
        {
            return parts switch
            {
                0 => null,
                1 => Header.Parser.ParseFrom(header),
                // A header sent in parts is merged by protobuf; the whole payload's parse does that.
                _ => Payload.Parser.ParseFrom(payload).Header,
            };
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"Payload.header: expected a serialized Common.Header ({e.Message})", e);
        }
    }
}
