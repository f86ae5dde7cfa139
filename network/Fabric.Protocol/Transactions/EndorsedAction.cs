using Common;
using Google.Protobuf;
using Protos;
using Rwset;

namespace Fabric.Protocol.Transactions;

/// <summary>
/// One endorsed chaincode action of a transaction, parsed: TransactionAction -> ChaincodeActionPayload
/// (proposal payload + endorsed action) -> ProposalResponsePayload -> ChaincodeAction (read-write set,
/// event, response).
/// </summary>
public sealed record EndorsedAction(
    TransactionAction Action,
    SignatureHeader Header,
    ChaincodeActionPayload ActionPayload,
    ChaincodeProposalPayload ProposalPayload,
    ProposalResponsePayload ResponsePayload,
    ChaincodeAction ChaincodeAction,
    TxReadWriteSet ReadWriteSet,
    IReadOnlyList<NamespaceReadWriteSet> Namespaces,
    ChaincodeEvent? Event)
{
    /// <summary>The chaincode's response, as the endorsers saw it.</summary>
    public Response Response => ChaincodeAction.Response ?? new Response();

    /// <summary>The serialized ProposalResponsePayload that every endorsement signs (with the endorser appended).</summary>
    public ByteString ResponsePayloadBytes => ActionPayload.Action.ProposalResponsePayload;

    public IReadOnlyList<Endorsement> Endorsements => ActionPayload.Action.Endorsements;

    /// <summary>Parses one action; <paramref name="what"/> locates it in errors.</summary>
    public static EndorsedAction Parse(TransactionAction action, string what)
    {
        ArgumentNullException.ThrowIfNull(action);
        var header = NestedMessage.Parse(SignatureHeader.Parser, action.Header, what + ".header");
        var actionPayload = NestedMessage.Parse(ChaincodeActionPayload.Parser, action.Payload, what + ".payload");
        var endorsed = NestedMessage.Required(actionPayload.Action, what + ".payload.action");
        var proposalPayload = NestedMessage.Parse(ChaincodeProposalPayload.Parser,
            actionPayload.ChaincodeProposalPayload, what + ".payload.chaincode_proposal_payload");
        var responsePayload = NestedMessage.Parse(ProposalResponsePayload.Parser,
            endorsed.ProposalResponsePayload, what + ".payload.action.proposal_response_payload");
        var chaincodeAction = NestedMessage.Parse(ChaincodeAction.Parser,
            responsePayload.Extension, what + ".proposal_response_payload.extension");
        var rwset = NestedMessage.Parse(TxReadWriteSet.Parser, chaincodeAction.Results, what + ".chaincode_action.results");
        var namespaces = rwset.NsRwset.Select(ns => new NamespaceReadWriteSet(ns.Namespace,
            NestedMessage.Parse(Kvrwset.KVRWSet.Parser, ns.Rwset, $"{what}.results.ns_rwset[{ns.Namespace}].rwset"), ns)).ToArray();
        var chaincodeEvent = chaincodeAction.Events.IsEmpty ? null
            : NestedMessage.Parse(ChaincodeEvent.Parser, chaincodeAction.Events, what + ".chaincode_action.events");
        return new EndorsedAction(action, header, actionPayload, proposalPayload, responsePayload, chaincodeAction,
            rwset, namespaces, chaincodeEvent);
    }
}
