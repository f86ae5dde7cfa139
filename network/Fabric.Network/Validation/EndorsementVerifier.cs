using System.Buffers;
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
        var seen = new HashSet<byte[]>(ByteContentComparer.Instance);
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
            if (!Signed(membership, identity, proposalResponsePayload, endorsement)) continue;
            if (seen.Add(identity.SerializedIdentity)) signers.Add(identity);
        }
        return signers;
    }

    /// <summary>Whether the endorser signed proposal_response_payload || endorser (joined in a pooled buffer).</summary>
    private static bool Signed(MembershipService membership, ValidatedIdentity identity, ByteString proposalResponsePayload, Endorsement endorsement)
    {
        var length = proposalResponsePayload.Length + endorsement.Endorser.Length;
        var signed = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            proposalResponsePayload.Span.CopyTo(signed);
            endorsement.Endorser.Span.CopyTo(signed.AsSpan(proposalResponsePayload.Length));
            return membership.Verify(identity, signed.AsSpan(0, length), endorsement.Signature.Span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signed);
        }
    }
}
