using Common;
using Fabric.Protocol.Identity;
using Google.Protobuf;

namespace Fabric.Protocol.Ledger;

/// <summary>
/// Orderer block signatures as Fabric makes them: each one is over
/// <c>metadata.value || signature_header || ASN.1 DER header bytes</c> (see <see cref="BlockHeaderHash.Asn1Der(BlockHeader)"/>).
/// </summary>
public static class BlockSignatures
{
    /// <summary>The bytes an orderer signs for <paramref name="header"/>.</summary>
    public static byte[] SignedBytes(ByteString metadataValue, ByteString signatureHeader, BlockHeader header) =>
        [.. metadataValue.Span, .. signatureHeader.Span, .. BlockHeaderHash.Asn1Der(header)];

    /// <summary>
    /// Every signature in metadata slot SIGNATURES (empty for an unsigned block such as a genesis block).
    /// Throws <see cref="FormatException"/> when the slot or a signature header is malformed.
    /// </summary>
    public static IReadOnlyList<BlockSignature> Read(Block block)
    {
        var slot = TransactionsFilter.MetadataSlot(block, BlockMetadataIndex.Signatures);
        if (slot.IsEmpty) return [];
        var header = NestedMessage.Required(block.Header, "Block.header");
        var metadata = NestedMessage.Parse(Metadata.Parser, slot, "Block.metadata[SIGNATURES]");
        return metadata.Signatures.Select((signature, i) =>
        {
            var what = $"Block {header.Number} metadata[SIGNATURES].signatures[{i}]";
            var signatureHeader = NestedMessage.Parse(SignatureHeader.Parser, signature.SignatureHeader, what + ".signature_header");
            var signer = X509Identity.FromSerializedIdentity(signatureHeader.Creator.Span);
            return new BlockSignature(signatureHeader, signer,
                SignedBytes(metadata.Value, signature.SignatureHeader, header), signature.Signature.ToByteArray());
        }).ToArray();
    }
}
