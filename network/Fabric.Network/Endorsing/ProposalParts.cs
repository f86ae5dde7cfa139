using System.Security.Cryptography;
using Common;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Endorsing;

/// <summary>
/// A signed proposal opened up: headers, the chaincode invocation, the transient map, and the proposal
/// hash that endorsers sign into their responses.
/// </summary>
public sealed class ProposalParts
{
    public required SignedProposal SignedProposal { get; init; }
    public required Proposal Proposal { get; init; }
    public required Header Header { get; init; }
    public required ChannelHeader ChannelHeader { get; init; }
    public required SignatureHeader SignatureHeader { get; init; }
    public required ChaincodeHeaderExtension Extension { get; init; }
    public required ChaincodeProposalPayload Payload { get; init; }
    public required ChaincodeInvocationSpec Invocation { get; init; }

    public string TxId => ChannelHeader.TxId;
    public string ChannelId => ChannelHeader.ChannelId;
    public string ChaincodeName => Invocation.ChaincodeSpec?.ChaincodeId?.Name ?? Extension.ChaincodeId?.Name ?? "";
    public ChaincodeInput Input => Invocation.ChaincodeSpec?.Input ?? new ChaincodeInput();

    /// <summary>The proposal payload without its TransientMap: what goes into the transaction and the hash.</summary>
    public ByteString PayloadWithoutTransient => new ChaincodeProposalPayload { Input = Payload.Input }.ToByteString();

    /// <summary>SHA-256(channel_header || signature_header || payload without TransientMap).</summary>
    public byte[] ProposalHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Header.ChannelHeader.Span);
        sha.AppendData(Header.SignatureHeader.Span);
        sha.AppendData(PayloadWithoutTransient.Span);
        return sha.GetHashAndReset();
    }

    /// <summary>Parses; throws <see cref="FormatException"/> with the reason when the proposal is malformed.</summary>
    public static ProposalParts Parse(SignedProposal signed)
    {
        try
        {
            var proposal = Proposal.Parser.ParseFrom(signed.ProposalBytes);
            var header = Header.Parser.ParseFrom(proposal.Header);
            var channelHeader = ChannelHeader.Parser.ParseFrom(header.ChannelHeader);
            var signatureHeader = SignatureHeader.Parser.ParseFrom(header.SignatureHeader);
            var extension = ChaincodeHeaderExtension.Parser.ParseFrom(channelHeader.Extension);
            var payload = ChaincodeProposalPayload.Parser.ParseFrom(proposal.Payload);
            var invocation = ChaincodeInvocationSpec.Parser.ParseFrom(payload.Input);
            return new ProposalParts
            {
                SignedProposal = signed,
                Proposal = proposal,
                Header = header,
                ChannelHeader = channelHeader,
                SignatureHeader = signatureHeader,
                Extension = extension,
                Payload = payload,
                Invocation = invocation,
            };
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException("error unmarshalling the proposal: " + e.Message, e);
        }
    }
}
