using Fabric.Protocol.Identity;
using Google.Protobuf;
using Protos;

namespace Fabric.Protocol.Transactions;

/// <summary>An endorser signs <c>proposal_response_payload || endorser</c> (its serialized identity).</summary>
public static class EndorsementSignature
{
    /// <summary>The bytes an endorser signs.</summary>
    public static byte[] SignedBytes(ByteString proposalResponsePayload, ByteString endorser) =>
        [.. proposalResponsePayload.Span, .. endorser.Span];

    /// <summary>
    /// True when <paramref name="endorsement"/> is a valid, low-S signature over the payload by the identity it names.
    /// Throws <see cref="FormatException"/> when the endorser is not a serialized X.509 identity.
    /// </summary>
    public static bool Verify(Endorsement endorsement, ByteString proposalResponsePayload)
    {
        ArgumentNullException.ThrowIfNull(endorsement);
        var endorser = X509Identity.FromSerializedIdentity(endorsement.Endorser.Span);
        return endorser.Verify(SignedBytes(proposalResponsePayload, endorsement.Endorser), endorsement.Signature.Span);
    }
}
