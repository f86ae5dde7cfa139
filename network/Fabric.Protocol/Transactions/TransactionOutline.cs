using Common;
using Fabric.Protocol.Wire;
using Google.Protobuf;
using Protos;

namespace Fabric.Protocol.Transactions;

/// <summary>
/// What event consumers read of a committed transaction: its id, type and, for an endorser transaction with one action,
/// that action's chaincode event. Read by walking down the envelope's layers in place (<see cref="WireFields"/>) rather
/// than by <see cref="TransactionEnvelope.Parse(ByteString)"/>, which copies every layer and parses the read-write set
/// and endorsements that events never show; a Fabric peer's deliver service reads no deeper either.
/// </summary>
public sealed record TransactionOutline(string TransactionId, HeaderType Type, bool HasSingleAction, ChaincodeEvent? Event)
{
    // Invalid UTF-8 in the transaction id goes to the full parse, which decides as protobuf does.
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The outline of serialized <c>common.Envelope</c> bytes, or null when they are not a transaction envelope.
    /// Anything the walk does not expect of a well-formed envelope (a layer missing, a nested message repeated so that
    /// protobuf would merge it, malformed bytes) is left to the full parse, which decides.
    /// </summary>
    public static TransactionOutline? Read(ByteString envelope)
    {
        try
        {
            return Walk(envelope.Span);
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException or System.Text.DecoderFallbackException)
        {
            return FromFullParse(envelope);
        }
    }

    private static TransactionOutline Walk(ReadOnlySpan<byte> envelope)
    {
        WireFields.Last(envelope, 1, out var payload);                    // Envelope.payload
        var header = Single(payload, 1, "Payload.header");                // a message: repeated ones would merge
        WireFields.Last(header, 1, out var channelHeader);                // Header.channel_header
        var (type, txId) = ReadChannelHeader(channelHeader);
        if (type != HeaderType.EndorserTransaction) return new TransactionOutline(txId, type, false, null);

        WireFields.Last(payload, 2, out var transaction);                 // Payload.data
        if (WireFields.Last(transaction, 1, out var action) != 1)         // Transaction.actions
            return new TransactionOutline(txId, type, false, null);
        WireFields.Last(action, 2, out var actionPayload);                // TransactionAction.payload
        var endorsed = Single(actionPayload, 2, "ChaincodeActionPayload.action");
        WireFields.Last(endorsed, 1, out var responsePayload);            // ChaincodeEndorsedAction.proposal_response_payload
        WireFields.Last(responsePayload, 2, out var chaincodeAction);     // ProposalResponsePayload.extension
        WireFields.Last(chaincodeAction, 2, out var events);              // ChaincodeAction.events
        return new TransactionOutline(txId, type, true, events.IsEmpty ? null : ChaincodeEvent.Parser.ParseFrom(events));
    }

    private static (HeaderType Type, string TxId) ReadChannelHeader(ReadOnlySpan<byte> channelHeader)
    {
        var type = 0;
        var txId = "";
        var fields = new WireFields(channelHeader);
        while (fields.MoveNext())
        {
            if (fields.Number == 1 && fields.Type == WireType.Varint) type = unchecked((int)fields.Varint);
            else if (fields.Number == 5 && fields.Type == WireType.LengthDelimited) txId = StrictUtf8.GetString(fields.Bytes);
        }
        return ((HeaderType)type, txId);
    }

    private static ReadOnlySpan<byte> Single(ReadOnlySpan<byte> message, int number, string what) =>
        WireFields.Last(message, number, out var value) == 1 ? value : throw new FormatException($"{what} is not there exactly once.");

    /// <summary>The outline of a transaction already parsed whole.</summary>
    public static TransactionOutline Of(TransactionEnvelope tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var single = tx.Actions.Count == 1 ? tx.Actions[0] : null;
        return new TransactionOutline(tx.TransactionId, tx.Type, single is not null, single?.Event);
    }

    private static TransactionOutline? FromFullParse(ByteString envelope)
    {
        try { return Of(TransactionEnvelope.Parse(envelope)); }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException) { return null; }
    }
}
