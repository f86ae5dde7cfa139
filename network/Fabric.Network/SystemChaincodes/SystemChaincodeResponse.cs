using Fabric.Network.Endorsing;
using Fabric.Protocol.Identity;
using Fabric.Protocol.Transactions;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.SystemChaincodes;

/// <summary>
/// A system chaincode's answer as the peer's endorser returns it: a success is endorsed like any chaincode result;
/// an error keeps its payload but has no endorsement (the gateway then reports "chaincode response 500, ...").
/// </summary>
public static class SystemChaincodeResponse
{
    public static ProposalResponse Build(ParsedProposal proposal, string chaincodeName, Response response, X509Identity endorser, ISigner signer)
    {
        var action = new ChaincodeAction
        {
            Response = response,
            ChaincodeId = new ChaincodeID { Name = chaincodeName, Version = "syscc" },
        };
        if (response.Status < 400) return ProposalResponses.Endorse(proposal, action, endorser, signer);
        var payload = new ProposalResponsePayload { ProposalHash = ByteString.CopyFrom(proposal.Hash()), Extension = action.ToByteString() };
        return new ProposalResponse { Version = 1, Response = response, Payload = payload.ToByteString() };
    }
}
