using Fabric.Protocol.Transactions;
using Fabric.Protocol.Wire;
using Google.Protobuf;
using Protos;

namespace Fabric.Client.Internal;

/// <summary>Reads what the client needs out of proposals and endorsed transaction envelopes.</summary>
internal static class EnvelopeParser
{
    /// <summary>The channel a serialized proposal is addressed to.</summary>
    public static string ChannelOfProposal(ByteString proposalBytes)
    {
        var proposal = Protos.Proposal.Parser.ParseFrom(proposalBytes);
        var header = Common.Header.Parser.ParseFrom(proposal.Header);
        return Common.ChannelHeader.Parser.ParseFrom(header.ChannelHeader).ChannelId;
    }

    /// <summary>
    /// The channel and the chaincode's result (the payload of its <c>peer.Response</c>) from an endorsed
    /// transaction envelope: Payload -> Transaction -> ChaincodeActionPayload -> ProposalResponsePayload -> ChaincodeAction.
    /// The layers are walked in place (<see cref="WireFields"/>): every transaction passes through here, and a full parse
    /// copies each layer's bytes, the read-write set's and the endorsers' certificates included, to read a few bytes.
    /// What the walk passes by is checked as a full parse checks it, so malformed bytes fail here as they did.
    /// </summary>
    public static (string ChannelName, byte[] Result) ParseTransaction(Common.Envelope envelope)
    {
        try
        {
            var header = EnvelopeHeader.Read(envelope);
            var problems = new List<string>();
            byte[]? result;
            try
            {
                result = WalkToResult(envelope.Payload.Span, problems);
            }
            catch (Exception e) when (e is FormatException or InvalidProtocolBufferException or MergedField)
            {
                // Malformed bytes, or a nested message sent in parts that protobuf would merge: the full parse decides.
                problems.Clear();
                result = ParseToResult(envelope, problems);
            }
            return (header.Channel.ChannelId, result ?? throw NoResponse(problems));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"The transaction envelope is malformed: {e.Message}", e);
        }
    }

    private static byte[]? WalkToResult(ReadOnlySpan<byte> payload, List<string> problems)
    {
        byte[]? result = null;
        WireFields.Last(payload, 2, out var transaction);                               // Payload.data
        var actions = new WireFields(transaction);
        while (actions.MoveNext())
        {
            if (actions.Number != 1 || actions.Type != WireType.LengthDelimited) continue; // Transaction.actions
            if (result is not null)
            {
                WireFields.Check(actions.Bytes);                                         // a later action, as protobuf reads it
                continue;
            }
            WireFields.Last(actions.Bytes, 2, out var actionPayload);                    // TransactionAction.payload
            if (!AtMostOnce(actionPayload, 2, out var endorsed))                        // ChaincodeActionPayload.action
            {
                problems.Add("action without an endorsed action");
                continue;
            }
            CheckEndorsements(endorsed);
            WireFields.Last(endorsed, 1, out var responsePayload);                      // ChaincodeEndorsedAction.proposal_response_payload
            WireFields.Last(responsePayload, 2, out var chaincodeAction);               // ProposalResponsePayload.extension
            if (WireFields.Last(chaincodeAction, 4, out var chaincodeId) > 0)          // ChaincodeAction.chaincode_id: strings,
                ChaincodeID.Parser.ParseFrom(chaincodeId);                              // checked as protobuf checks them
            if (!AtMostOnce(chaincodeAction, 3, out var response))                      // ChaincodeAction.response
            {
                problems.Add("chaincode action without a response");
                continue;
            }
            result = Response.Parser.ParseFrom(response).Payload.ToByteArray();
        }
        return result;
    }

    /// <summary>Each endorsement is well formed, as a full parse would require (its fields are bytes: their framing is all).</summary>
    private static void CheckEndorsements(ReadOnlySpan<byte> endorsedAction)
    {
        var fields = new WireFields(endorsedAction);
        while (fields.MoveNext())
            if (fields.Number == 2 && fields.Type == WireType.LengthDelimited) WireFields.Check(fields.Bytes);
    }

    /// <summary>Whether embedded message <paramref name="number"/> is there; more than once, protobuf would merge the parts.</summary>
    private static bool AtMostOnce(ReadOnlySpan<byte> message, int number, out ReadOnlySpan<byte> value) =>
        WireFields.Last(message, number, out value) switch { 0 => false, 1 => true, _ => throw new MergedField() };

    private static byte[]? ParseToResult(Common.Envelope envelope, List<string> problems)
    {
        var payload = Common.Payload.Parser.ParseFrom(envelope.Payload);
        var transaction = Protos.Transaction.Parser.ParseFrom(payload.Data);
        foreach (var action in transaction.Actions)
        {
            var actionPayload = ChaincodeActionPayload.Parser.ParseFrom(action.Payload);
            if (actionPayload.Action is null) { problems.Add("action without an endorsed action"); continue; }
            var responsePayload = ProposalResponsePayload.Parser.ParseFrom(actionPayload.Action.ProposalResponsePayload);
            var chaincodeAction = ChaincodeAction.Parser.ParseFrom(responsePayload.Extension);
            if (chaincodeAction.Response is null) { problems.Add("chaincode action without a response"); continue; }
            return chaincodeAction.Response.Payload.ToByteArray();
        }
        return null;
    }

    private static FormatException NoResponse(List<string> problems) =>
        new("The endorsed transaction holds no chaincode response" + (problems.Count > 0 ? ": " + string.Join("; ", problems) : "."));

    private sealed class MergedField : Exception;
}
