using Common;
using Fabric.Protocol.Identity;
using Google.Protobuf;
using Protos;

namespace Fabric.Protocol.Transactions;

/// <summary>
/// A signed chaincode proposal with every nested layer parsed: Proposal -> Header (ChannelHeader,
/// SignatureHeader, ChaincodeHeaderExtension) and payload (ChaincodeProposalPayload -> ChaincodeInvocationSpec).
/// What a peer or a chaincode needs to check and run it.
/// </summary>
/// <example><code>
/// var proposal = ParsedProposal.Parse(request.ProposedTransaction);
/// if (proposal.ComputeTransactionId() != proposal.TransactionId || !proposal.VerifySignature()) reject();
/// </code></example>
public sealed record ParsedProposal(
    SignedProposal Signed,
    Proposal Proposal,
    Header Header,
    ChannelHeader ChannelHeader,
    SignatureHeader SignatureHeader,
    ChaincodeHeaderExtension Extension,
    ChaincodeProposalPayload Payload,
    ChaincodeInvocationSpec InvocationSpec)
{
    /// <summary>The transaction id the client claims (channel header tx_id).</summary>
    public string TransactionId => ChannelHeader.TxId;

    public string ChannelId => ChannelHeader.ChannelId;

    /// <summary>The chaincode name the proposal invokes.</summary>
    public string ChaincodeName => InvocationSpec.ChaincodeSpec?.ChaincodeId?.Name ?? Extension.ChaincodeId?.Name ?? "";

    /// <summary>Function and arguments as the chaincode receives them.</summary>
    public ChaincodeInput Input => InvocationSpec.ChaincodeSpec?.Input ?? new ChaincodeInput();

    /// <summary>The transaction id as Fabric derives it: SHA-256(nonce || creator), lowercase hex.</summary>
    public string ComputeTransactionId() =>
        Identity.TransactionId.Compute(SignatureHeader.Nonce.Span, SignatureHeader.Creator.Span);

    /// <summary>The creator's identity; throws <see cref="FormatException"/> when it is not a serialized X.509 identity.</summary>
    public X509Identity Creator() => X509Identity.FromSerializedIdentity(SignatureHeader.Creator.Span);

    /// <summary>True when the proposal bytes carry the creator's valid, low-S signature.</summary>
    public bool VerifySignature() => Creator().Verify(Signed.ProposalBytes.Span, Signed.Signature.Span);

    /// <summary>The proposal hash endorsers put in their response (see <see cref="ProposalHash"/>).</summary>
    public byte[] Hash() => ProposalHash.Compute(Header, Payload);

    /// <summary>Parses every layer; throws <see cref="FormatException"/> naming the layer that is malformed.</summary>
    public static ParsedProposal Parse(SignedProposal signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var proposal = NestedMessage.Parse(Proposal.Parser, signed.ProposalBytes, "SignedProposal.proposal_bytes");
        var header = NestedMessage.Parse(Header.Parser, proposal.Header, "Proposal.header");
        var channelHeader = NestedMessage.Parse(ChannelHeader.Parser, header.ChannelHeader, "Header.channel_header");
        var signatureHeader = NestedMessage.Parse(SignatureHeader.Parser, header.SignatureHeader, "Header.signature_header");
        var extension = NestedMessage.Parse(ChaincodeHeaderExtension.Parser, channelHeader.Extension, "ChannelHeader.extension");
        var payload = NestedMessage.Parse(ChaincodeProposalPayload.Parser, proposal.Payload, "Proposal.payload");
        var spec = NestedMessage.Parse(ChaincodeInvocationSpec.Parser, payload.Input, "ChaincodeProposalPayload.input");
        return new ParsedProposal(signed, proposal, header, channelHeader, signatureHeader, extension, payload, spec);
    }

    /// <summary>Parses serialized <c>SignedProposal</c> bytes.</summary>
    public static ParsedProposal Parse(ByteString signedProposal) =>
        Parse(NestedMessage.Parse(SignedProposal.Parser, signedProposal, "SignedProposal"));
}
