using Common;
using Fabric.Protocol.Identity;
using Google.Protobuf;

namespace Fabric.Network.Blocks;

/// <summary>
/// The orderer's block signature in metadata slot SIGNATURES: a <c>common.Metadata</c> whose value is an
/// <c>OrdererBlockMetadata</c> (last config index) and whose signature covers
/// value || signature_header || ASN.1 header bytes.
/// </summary>
public static class BlockSignatures
{
    public static Metadata Sign(Block block, ulong lastConfigIndex, X509Identity orderer, ISigner signer)
    {
        var value = new OrdererBlockMetadata { LastConfig = new LastConfig { Index = lastConfigIndex } }.ToByteString();
        var signatureHeader = new SignatureHeader
        {
            Creator = ByteString.CopyFrom(orderer.ToSerializedIdentity()),
            Nonce = ByteString.CopyFrom(TransactionId.NewNonce()),
        }.ToByteString();
        var signature = signer.Sign(SignedBytes(value, signatureHeader, block.Header));
        var metadata = new Metadata { Value = value };
        metadata.Signatures.Add(new MetadataSignature { SignatureHeader = signatureHeader, Signature = ByteString.CopyFrom(signature) });
        return metadata;
    }

    /// <summary>The message each block signature covers.</summary>
    public static byte[] SignedBytes(ByteString value, ByteString signatureHeader, BlockHeader header) =>
        [.. value.Span, .. signatureHeader.Span, .. BlockHashing.HeaderBytes(header)];

    /// <summary>True when every signature in slot SIGNATURES verifies against the certificate in its header.</summary>
    public static bool VerifyAll(Block block)
    {
        var metadata = Metadata.Parser.ParseFrom(block.Metadata.Metadata[(int)BlockMetadataIndex.Signatures]);
        if (metadata.Signatures.Count == 0) return false;
        foreach (var s in metadata.Signatures)
        {
            var header = SignatureHeader.Parser.ParseFrom(s.SignatureHeader);
            var identity = X509Identity.FromSerializedIdentity(header.Creator.Span);
            if (!identity.Verify(SignedBytes(metadata.Value, s.SignatureHeader, block.Header), s.Signature.Span)) return false;
        }
        return true;
    }
}
