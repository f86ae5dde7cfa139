using Common;
using Google.Protobuf;

namespace CashTransfer.Chaincode.Ledger;

/// <summary>Key-level endorsement policies: the serialized <c>common.SignaturePolicyEnvelope</c> that Fabric stores as a key's validation parameter.</summary>
public static class Endorsement
{
    /// <summary>"1 of [a peer of <paramref name="mspId"/>]": only the owning agency's peer can endorse a change of the key.</summary>
    public static byte[] ByPeerOf(string mspId)
    {
        var principal = new MSPPrincipal
        {
            PrincipalClassification = MSPPrincipal.Types.Classification.Role,
            Principal = new MSPRole { MspIdentifier = mspId, Role = MSPRole.Types.MSPRoleType.Peer }.ToByteString(),
        };
        var rule = new SignaturePolicy { NOutOf = new SignaturePolicy.Types.NOutOf { N = 1, Rules = { new SignaturePolicy { SignedBy = 0 } } } };
        return new SignaturePolicyEnvelope { Version = 0, Rule = rule, Identities = { principal } }.ToByteArray();
    }
}
