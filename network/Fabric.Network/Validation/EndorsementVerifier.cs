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
        var signed = ArrayPool<byte>.Shared.Rent(proposalResponsePayload.Length + 4096);
        try
        {
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
                var length = proposalResponsePayload.Length + endorsement.Endorser.Length;
                if (length > signed.Length)
                {
                    ArrayPool<byte>.Shared.Return(signed);
                    signed = ArrayPool<byte>.Shared.Rent(length);
                }
                proposalResponsePayload.Span.CopyTo(signed);
                endorsement.Endorser.Span.CopyTo(signed.AsSpan(proposalResponsePayload.Length));
                if (!membership.Verify(identity, signed.AsSpan(0, length), endorsement.Signature.Span)) continue;
                if (seen.Add(identity.SerializedIdentity)) signers.Add(identity);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signed);
        }
        return signers;
    }
}
