using Common;
using Fabric.Protocol.Identity;
using Fabric.Protocol.Ledger;
using Fabric.Protocol.Tests.Vectors;
using Fabric.Ecdsa;

namespace Fabric.Protocol.Tests.Ledger;

/// <summary>Orderer block signatures over metadata.value || signature_header || ASN.1 header, checked with the orderer certs in vectors/crypto.</summary>
public class BlockSignatureVectorTests
{
    [Theory]
    [MemberData(nameof(BlockVectorTests.Blocks), MemberType = typeof(BlockVectorTests))]
    public void Every_block_signature_verifies_with_the_orderer_certificate(string path)
    {
        var (entry, block) = BlockVectorTests.Load(path);

        var signatures = BlockSignatures.Read(block);

        Assert.Equal(entry.Signers.Count, signatures.Count);
        foreach (var (signature, signer) in signatures.Zip(entry.Signers))
        {
            var orderer = VectorCrypto.IdentityOf(signer);
            Assert.Equal(orderer.MspId, signature.Signer.MspId);
            Assert.Equal(orderer.Certificate.RawData, signature.Signer.Certificate.RawData);
            Assert.True(orderer.Verify(signature.SignedBytes, signature.Signature), $"{path}: signature by {signer} does not verify");
            Assert.True(signature.Verify());
            Assert.True(EcdsaSignatures.IsLowS(signature.Signature));
            Assert.EndsWith(entry.HeaderAsn1Hex, Convert.ToHexStringLower(signature.SignedBytes));
        }
    }

    [Fact]
    public void A_signature_over_another_header_does_not_verify()
    {
        var (_, block) = BlockVectorTests.Load(VectorIndex.Blocks.First(b => b.Number == 24).Path);
        block.Header.Number += 1;

        var signature = Assert.Single(BlockSignatures.Read(block));

        Assert.False(signature.Verify());
    }

    [Fact]
    public void Orderer_copy_has_the_same_header_data_and_signatures_but_no_peer_metadata()
    {
        var ordererEntry = VectorIndex.Blocks.Single(b => b.FromOrderer);
        var peerEntry = VectorIndex.Blocks.Single(b => !b.FromOrderer && b.Number == ordererEntry.Number);
        var (_, fromOrderer) = BlockVectorTests.Load(ordererEntry.Path);
        var (_, fromPeer) = BlockVectorTests.Load(peerEntry.Path);

        Assert.Equal(fromPeer.Header, fromOrderer.Header);
        Assert.Equal(fromPeer.Data, fromOrderer.Data);
        Assert.Equal(Slot(fromPeer, BlockMetadataIndex.Signatures), Slot(fromOrderer, BlockMetadataIndex.Signatures));
        Assert.Empty(TransactionsFilter.Read(fromOrderer));
        Assert.True(Slot(fromOrderer, BlockMetadataIndex.CommitHash).IsEmpty);
        Assert.NotEmpty(TransactionsFilter.Read(fromPeer));
        Assert.False(Slot(fromPeer, BlockMetadataIndex.CommitHash).IsEmpty);
    }

    private static Google.Protobuf.ByteString Slot(Block block, BlockMetadataIndex index) => block.Metadata.Metadata[(int)index];
}
