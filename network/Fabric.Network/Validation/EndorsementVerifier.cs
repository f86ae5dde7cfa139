using Fabric.Network.Membership;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Validation;

/// <summary>
/// Turns a transaction's endorsements into the identities whose signatures hold: each endorser must be a
/// valid member of a channel MSP and must have signed proposal_response_payload || endorser. Invalid
/// endorsements are left out (they then count for no policy); duplicates count once.
/// </summary>
public static class EndorsementVerifier
{
    public static IReadOnlyList<ValidatedIdentity> ValidSigners(MembershipService membership, ByteString proposalResponsePayload, IEnumerable<Endorsement> endorsements)
    {
        var signers = new List<ValidatedIdentity>();
        var seen = new HashSet<string>();
        foreach (var endorsement in endorsements)
        {
            ValidatedIdentity identity;
            try
            {
                identity = membership.Validate(endorsement.Endorser.Span);
            }
            catch (IdentityException)
            {
                continue;
            }
            var message = new byte[proposalResponsePayload.Length + endorsement.Endorser.Length];
            proposalResponsePayload.Span.CopyTo(message);
            endorsement.Endorser.Span.CopyTo(message.AsSpan(proposalResponsePayload.Length));
            if (!membership.Verify(identity, message, endorsement.Signature.Span)) continue;
            if (seen.Add(Convert.ToBase64String(endorsement.Endorser.Span))) signers.Add(identity);
        }
        return signers;
    }
}
