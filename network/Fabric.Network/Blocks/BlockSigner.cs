using Common;
using Fabric.Protocol.Identity;
using Google.Protobuf;

namespace Fabric.Network.Blocks;

/// <summary>
/// The orderer's block signature in metadata slot SIGNATURES: a <c>common.Metadata</c> whose value is an
/// <c>OrdererBlockMetadata</c> (last config index), signed over value || signature_header || ASN.1 header
/// bytes (<see cref="Fabric.Protocol.Ledger.BlockSignatures.SignedBytes"/>).
/// </summary>
public static class BlockSigner
{
    public static Metadata Sign(Block block, ulong lastConfigIndex, X509Identity orderer, ISigner signer)
    {
        var value = new OrdererBlockMetadata { LastConfig = new LastConfig { Index = lastConfigIndex } }.ToByteString();
        var signatureHeader = new SignatureHeader
        {
            Creator = ByteString.CopyFrom(orderer.ToSerializedIdentity()),
            Nonce = ByteString.CopyFrom(TransactionId.NewNonce()),
        }.ToByteString();
        var signature = signer.Sign(Fabric.Protocol.Ledger.BlockSignatures.SignedBytes(value, signatureHeader, block.Header));
        var metadata = new Metadata { Value = value };
        metadata.Signatures.Add(new MetadataSignature { SignatureHeader = signatureHeader, Signature = ByteString.CopyFrom(signature) });
        return metadata;
    }

    /// <summary>True when the block carries signatures and every one verifies against the certificate in its header.</summary>
    public static bool VerifyAll(Block block)
    {
        var signatures = Fabric.Protocol.Ledger.BlockSignatures.Read(block);
        return signatures.Count > 0 && signatures.All(s => s.Verify());
    }
}
