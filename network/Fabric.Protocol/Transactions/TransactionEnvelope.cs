using Common;
using Fabric.Protocol.Identity;
using Google.Protobuf;
using Protos;

namespace Fabric.Protocol.Transactions;

/// <summary>
/// A transaction envelope with its layers parsed: Envelope -> Payload -> ChannelHeader and SignatureHeader,
/// and, for an endorser transaction, Transaction -> <see cref="EndorsedAction"/>s. Config and other
/// transaction types keep their payload data unparsed and have no actions.
/// </summary>
/// <example><code>
/// var tx = TransactionEnvelope.Parse(block.Data.Data[0]);
/// foreach (var action in tx.Actions) Console.WriteLine(action.Response.Status);
/// </code></example>
public sealed record TransactionEnvelope(
    Envelope Envelope,
    Payload Payload,
    ChannelHeader ChannelHeader,
    SignatureHeader SignatureHeader,
    IReadOnlyList<EndorsedAction> Actions)
{
    public HeaderType Type => (HeaderType)ChannelHeader.Type;

    public string TransactionId => ChannelHeader.TxId;

    public string ChannelId => ChannelHeader.ChannelId;

    /// <summary>The submitter's identity; throws <see cref="FormatException"/> when it is not a serialized X.509 identity.</summary>
    public X509Identity Creator() => X509Identity.FromSerializedIdentity(SignatureHeader.Creator.Span);

    /// <summary>True when the envelope carries the creator's valid, low-S signature over its payload.</summary>
    public bool VerifySignature() => Creator().Verify(Envelope.Payload.Span, Envelope.Signature.Span);

    /// <summary>Parses every layer; throws <see cref="FormatException"/> naming the layer that is malformed.</summary>
    public static TransactionEnvelope Parse(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var payload = NestedMessage.Parse(Payload.Parser, envelope.Payload, "Envelope.payload");
        var header = NestedMessage.Required(payload.Header, "Payload.header");
        var channelHeader = NestedMessage.Parse(ChannelHeader.Parser, header.ChannelHeader, "Payload.header.channel_header");
        var signatureHeader = NestedMessage.Parse(SignatureHeader.Parser, header.SignatureHeader, "Payload.header.signature_header");
        IReadOnlyList<EndorsedAction> actions = [];
        if ((HeaderType)channelHeader.Type == HeaderType.EndorserTransaction)
        {
            var transaction = NestedMessage.Parse(Transaction.Parser, payload.Data, "Payload.data (endorser transaction)");
            actions = transaction.Actions.Select((action, i) => EndorsedAction.Parse(action, $"Transaction.actions[{i}]")).ToArray();
        }
        return new TransactionEnvelope(envelope, payload, channelHeader, signatureHeader, actions);
    }

    /// <summary>Parses serialized <c>common.Envelope</c> bytes (an entry of a block's data).</summary>
    public static TransactionEnvelope Parse(ByteString envelope) =>
        Parse(NestedMessage.Parse(Envelope.Parser, envelope, "Envelope"));
}
