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
    /// </summary>
    public static (string ChannelName, byte[] Result) ParseTransaction(Common.Envelope envelope)
    {
        var payload = Common.Payload.Parser.ParseFrom(envelope.Payload);
        if (payload.Header is null) throw new FormatException("The transaction envelope has no header.");
        var channelName = Common.ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader).ChannelId;
        var transaction = Protos.Transaction.Parser.ParseFrom(payload.Data);
        var problems = new List<string>();
        foreach (var action in transaction.Actions)
        {
            var actionPayload = ChaincodeActionPayload.Parser.ParseFrom(action.Payload);
            if (actionPayload.Action is null) { problems.Add("action without an endorsed action"); continue; }
            var responsePayload = ProposalResponsePayload.Parser.ParseFrom(actionPayload.Action.ProposalResponsePayload);
            var chaincodeAction = ChaincodeAction.Parser.ParseFrom(responsePayload.Extension);
            if (chaincodeAction.Response is null) { problems.Add("chaincode action without a response"); continue; }
            return (channelName, chaincodeAction.Response.Payload.ToByteArray());
        }
        throw new FormatException("The endorsed transaction holds no chaincode response" +
                                  (problems.Count > 0 ? ": " + string.Join("; ", problems) : "."));
    }
}
