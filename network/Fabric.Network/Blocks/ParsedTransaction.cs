using Common;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Blocks;

/// <summary>
/// An envelope from a block opened up: its headers, and for an endorser transaction the endorsed action
/// (proposal response payload, endorsements, chaincode action with read-write sets and event).
/// </summary>
public sealed class ParsedTransaction
{
    public required Envelope Envelope { get; init; }
    public required Payload Payload { get; init; }
    public required ChannelHeader ChannelHeader { get; init; }
    public required SignatureHeader SignatureHeader { get; init; }
    public string TxId => ChannelHeader.TxId;
    public HeaderType Type => (HeaderType)ChannelHeader.Type;

    /// <summary>Set for ENDORSER_TRANSACTION envelopes.</summary>
    public EndorsedAction? Action { get; init; }

    /// <summary>Parses an envelope; throws <see cref="InvalidProtocolBufferException"/> or <see cref="FormatException"/>.</summary>
    public static ParsedTransaction Parse(ByteString envelopeBytes)
    {
        var envelope = Envelope.Parser.ParseFrom(envelopeBytes);
        var payload = Payload.Parser.ParseFrom(envelope.Payload);
        if (payload.Header is null) throw new FormatException("the payload has no header");
        var channelHeader = ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader);
        var signatureHeader = SignatureHeader.Parser.ParseFrom(payload.Header.SignatureHeader);
        EndorsedAction? action = null;
        if ((HeaderType)channelHeader.Type == HeaderType.EndorserTransaction)
            action = EndorsedAction.Parse(payload.Data);
        return new ParsedTransaction
        {
            Envelope = envelope,
            Payload = payload,
            ChannelHeader = channelHeader,
            SignatureHeader = signatureHeader,
            Action = action,
        };
    }
}

/// <summary>The single chaincode action of an endorser transaction, with what the endorsers signed.</summary>
public sealed class EndorsedAction
{
    public required ByteString ProposalResponsePayloadBytes { get; init; }
    public required ProposalResponsePayload ProposalResponsePayload { get; init; }
    public required ChaincodeAction ChaincodeAction { get; init; }
    public required IReadOnlyList<Endorsement> Endorsements { get; init; }
    public required IReadOnlyList<NamespaceReadWriteSet> ReadWriteSets { get; init; }
    public ChaincodeEvent? Event => ChaincodeAction.Events.IsEmpty ? null : ChaincodeEvent.Parser.ParseFrom(ChaincodeAction.Events);

    public static EndorsedAction Parse(ByteString transactionBytes)
    {
        var transaction = Transaction.Parser.ParseFrom(transactionBytes);
        if (transaction.Actions.Count != 1) throw new FormatException($"an endorser transaction must have exactly one action; it has {transaction.Actions.Count}");
        var actionPayload = ChaincodeActionPayload.Parser.ParseFrom(transaction.Actions[0].Payload);
        if (actionPayload.Action is null) throw new FormatException("the transaction action has no endorsed action");
        var prpBytes = actionPayload.Action.ProposalResponsePayload;
        var prp = Protos.ProposalResponsePayload.Parser.ParseFrom(prpBytes);
        var ccAction = Protos.ChaincodeAction.Parser.ParseFrom(prp.Extension);
        var txRwSet = Rwset.TxReadWriteSet.Parser.ParseFrom(ccAction.Results);
        var sets = txRwSet.NsRwset
            .Select(ns => new NamespaceReadWriteSet(ns.Namespace, Kvrwset.KVRWSet.Parser.ParseFrom(ns.Rwset)))
            .ToList();
        return new EndorsedAction
        {
            ProposalResponsePayloadBytes = prpBytes,
            ProposalResponsePayload = prp,
            ChaincodeAction = ccAction,
            Endorsements = actionPayload.Action.Endorsements.ToList(),
            ReadWriteSets = sets,
        };
    }
}

/// <summary>The reads and writes of one chaincode namespace.</summary>
public sealed record NamespaceReadWriteSet(string Namespace, Kvrwset.KVRWSet ReadWriteSet);
