using System.Security.Cryptography;
using Google.Protobuf;
using Protos;

namespace Fabric.Protocol.Transactions;

/// <summary>
/// The proposal hash that endorsers put in <c>ProposalResponsePayload.proposal_hash</c>:
/// SHA-256(<c>channel_header || signature_header || ChaincodeProposalPayload</c> re-encoded with its input only).
/// The transient map is left out so that private inputs never reach the ledger or its hashes.
/// </summary>
public static class ProposalHash
{
    /// <summary>The hash for a proposal given by its header and its (possibly transient-carrying) payload.</summary>
    public static byte[] Compute(Common.Header header, ChaincodeProposalPayload payload)
    {
        ArgumentNullException.ThrowIfNull(header);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(header.ChannelHeader.Span);
        sha.AppendData(header.SignatureHeader.Span);
        sha.AppendData(TransactionProposalPayload.From(payload).Span);
        return sha.GetHashAndReset();
    }

    /// <summary>The hash for a proposal; throws <see cref="FormatException"/> when its header or payload is malformed.</summary>
    public static byte[] Compute(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var header = NestedMessage.Parse(Common.Header.Parser, proposal.Header, "Proposal.header");
        var payload = NestedMessage.Parse(ChaincodeProposalPayload.Parser, proposal.Payload, "Proposal.payload");
        return Compute(header, payload);
    }
}
