using System.Buffers.Binary;
using System.Security.Cryptography;
using Common;
using Google.Protobuf;
using Protos;

namespace Fabric.Shim.Stub;

/// <summary>
/// What the stub reads out of the transaction's signed proposal: creator, binding, transient map, timestamp.
/// </summary>
internal sealed record ProposalDetails(byte[] Creator, byte[] Binding, IReadOnlyDictionary<string, byte[]> Transient, DateTimeOffset Timestamp)
{
    public static readonly ProposalDetails None = new([], [], new Dictionary<string, byte[]>(), DateTimeOffset.UnixEpoch);

    /// <exception cref="InvalidOperationException">The proposal is not a well-formed Fabric proposal.</exception>
    public static ProposalDetails Parse(SignedProposal signed)
    {
        try
        {
            var proposal = Proposal.Parser.ParseFrom(signed.ProposalBytes);
            if (proposal.Header.IsEmpty) throw new InvalidOperationException("The proposal header is empty.");
            if (proposal.Payload.IsEmpty) throw new InvalidOperationException("The proposal payload is empty.");
            var header = Header.Parser.ParseFrom(proposal.Header);
            var signatureHeader = SignatureHeader.Parser.ParseFrom(header.SignatureHeader);
            var channelHeader = ChannelHeader.Parser.ParseFrom(header.ChannelHeader);
            var payload = ChaincodeProposalPayload.Parser.ParseFrom(proposal.Payload);

            var transient = payload.TransientMap.ToDictionary(entry => entry.Key, entry => entry.Value.ToByteArray(), StringComparer.Ordinal);
            var timestamp = channelHeader.Timestamp?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;
            return new ProposalDetails(signatureHeader.Creator.ToByteArray(), ComputeBinding(signatureHeader, channelHeader.Epoch), transient, timestamp);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidOperationException($"The signed proposal cannot be decoded: {e.Message}", e);
        }
    }

    // Fabric's proposal binding: SHA-256(nonce || creator || epoch as 8 little-endian bytes).
    private static byte[] ComputeBinding(SignatureHeader signatureHeader, ulong epoch)
    {
        var epochBytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(epochBytes, epoch);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(signatureHeader.Nonce.Span);
        sha.AppendData(signatureHeader.Creator.Span);
        sha.AppendData(epochBytes);
        return sha.GetHashAndReset();
    }
}
