using Fabric.Protocol.Transactions;
using Common;
using Fabric.Network.Ledger;
using Fabric.Network.Membership;
using Fabric.Network.Policies;
using Fabric.Network.Validation;
using Fabric.Protocol.Identity;

namespace Fabric.Network.Endorsing;

/// <summary>
/// The checks a Fabric peer makes on a proposal before it simulates it: endorser transaction header for
/// this channel, a creator that is a valid member of a channel MSP, the creator's signature over the
/// proposal bytes, txid = SHA-256(nonce || creator), no committed transaction with that txid, and the
/// creator allowed by the channel policy (Writers for proposals; NodeOU client or admin).
/// </summary>
public static class ProposalChecker
{
    public static ValidatedIdentity Check(ParsedProposal proposal, ChannelContext channel, PeerLedger ledger, IPolicy acl)
    {
        if ((HeaderType)proposal.ChannelHeader.Type != HeaderType.EndorserTransaction)
            throw new ProposalRejectedException($"invalid header type {(HeaderType)proposal.ChannelHeader.Type}");
        if (proposal.ChannelId != channel.ChannelId)
            throw new ProposalRejectedException($"channel '{proposal.ChannelId}' not found");
        ValidatedIdentity creator;
        try
        {
            creator = channel.Membership.Validate(proposal.SignatureHeader.Creator.Span);
        }
        catch (IdentityException e)
        {
            throw new ProposalRejectedException($"access denied: channel [{proposal.ChannelId}] creator org unknown, creator is malformed: {e.Message}");
        }
        if (!channel.Membership.Verify(creator, proposal.Signed.ProposalBytes.Span, proposal.Signed.Signature.Span))
            throw new ProposalRejectedException($"access denied: channel [{proposal.ChannelId}] creator org [{creator.MspId}]: the signature is not valid");
        var expected = TransactionId.Compute(proposal.SignatureHeader.Nonce.Span, proposal.SignatureHeader.Creator.Span);
        if (proposal.TransactionId != expected)
            throw new ProposalRejectedException($"incorrectly formed txid: got [{proposal.TransactionId}], expected [{expected}]");
        if (ledger.FindTransaction(proposal.TransactionId) is not null)
            throw new ProposalRejectedException($"duplicate transaction found [{proposal.TransactionId}]. Creator [{Convert.ToHexStringLower(proposal.SignatureHeader.Creator.Span)}]");
        if (!acl.IsSatisfiedBy([creator]))
            throw new ProposalRejectedException($"access denied: channel [{proposal.ChannelId}] creator org [{creator.MspId}]");
        return creator;
    }
}
