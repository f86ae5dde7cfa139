using Fabric.Protocol.Transactions;
using Common;
using Fabric.Protocol.Identity;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Endorsing;

/// <summary>Builds an endorser's signed proposal response and assembles endorsements into a transaction.</summary>
public static class ProposalResponses
{
    /// <summary>
    /// The endorsement: ProposalResponsePayload{proposal_hash, extension = ChaincodeAction} signed by the
    /// endorser over payload || serialized endorser identity.
    /// </summary>
    public static ProposalResponse Endorse(ParsedProposal proposal, ChaincodeAction action, X509Identity endorser, ISigner signer)
    {
        var payload = new ProposalResponsePayload
        {
            ProposalHash = ByteString.CopyFrom(proposal.Hash()),
            Extension = action.ToByteString(),
        }.ToByteString();
        var endorserBytes = ByteString.CopyFrom(endorser.ToSerializedIdentity());
        var signature = signer.Sign([.. payload.Span, .. endorserBytes.Span]);
        return new ProposalResponse
        {
            Version = 1,
            Response = action.Response,
            Payload = payload,
            Endorsement = new Protos.Endorsement { Endorser = endorserBytes, Signature = ByteString.CopyFrom(signature) },
        };
    }

    /// <summary>
    /// The unsigned transaction the gateway returns from Endorse (the client signs its payload): one
    /// action holding the proposal payload without TransientMap and every endorsement. All responses
    /// must carry identical payloads.
    /// </summary>
    public static Envelope AssembleTransaction(ParsedProposal proposal, IReadOnlyList<ProposalResponse> responses)
    {
        if (responses.Count == 0) throw new ArgumentException("at least one proposal response is required.", nameof(responses));
        var first = responses[0].Payload;
        if (responses.Any(r => r.Payload != first))
            throw new InvalidOperationException("ProposalResponsePayloads do not match");
        var endorsed = new ChaincodeEndorsedAction { ProposalResponsePayload = first };
        endorsed.Endorsements.AddRange(responses.Select(r => r.Endorsement));
        var actionPayload = new ChaincodeActionPayload { ChaincodeProposalPayload = TransactionProposalPayload.From(proposal.Payload), Action = endorsed };
        var transaction = new Transaction();
        transaction.Actions.Add(new TransactionAction { Header = proposal.Header.SignatureHeader, Payload = actionPayload.ToByteString() });
        var payload = new Payload { Header = proposal.Header, Data = transaction.ToByteString() };
        return new Envelope { Payload = payload.ToByteString() };
    }
}
