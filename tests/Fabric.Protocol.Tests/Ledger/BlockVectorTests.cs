using Common;
using Fabric.Protocol.Ledger;
using Fabric.Protocol.Tests.Vectors;
using Google.Protobuf;

namespace Fabric.Protocol.Tests.Ledger;

/// <summary>Real Fabric blocks: byte-exact re-encoding, data hash, header ASN.1 bytes and hash, previous-hash chain.</summary>
public class BlockVectorTests
{
    public static TheoryData<string> Blocks => VectorRows.Of(() => VectorIndex.Blocks.Select(b => b.Path));

    public static TheoryData<string> ChainedBlocks => VectorRows.Of(() =>
        VectorIndex.Blocks.Where(b => !b.FromOrderer && VectorIndex.Blocks.Any(p => !p.FromOrderer && p.Number + 1 == b.Number))
            .Select(b => b.Path));

    internal static (BlockEntry Entry, Block Block) Load(string path)
    {
        var entry = VectorIndex.Blocks.Single(b => b.Path == VectorRows.Require(path));
        return (entry, VectorMessages.Read(path, Block.Parser));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Block_parses_and_reencodes_identically(string path)
    {
        var (entry, block) = Load(path);

        Assert.Equal(entry.Number, block.Header.Number);
        Assert.Equal(Convert.ToHexString(VectorsFolder.ReadBytes(path)), Convert.ToHexString(block.ToByteArray()));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Data_hash_is_sha256_of_the_concatenated_envelopes(string path)
    {
        var (entry, block) = Load(path);

        var computed = Convert.ToHexStringLower(BlockDataHash.Compute(block.Data));

        Assert.Equal(entry.DataHashHex, computed);
        Assert.Equal(Convert.ToHexStringLower(block.Header.DataHash.Span), computed);
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Header_asn1_bytes_and_hash_match_the_index(string path)
    {
        var (entry, block) = Load(path);

        Assert.Equal(entry.PreviousHashHex, Convert.ToHexStringLower(block.Header.PreviousHash.Span));
        Assert.Equal(entry.HeaderAsn1Hex, Convert.ToHexStringLower(BlockHeaderHash.Asn1Der(block.Header)));
        Assert.Equal(entry.HeaderHashHex, Convert.ToHexStringLower(BlockHeaderHash.Compute(block.Header)));
    }

    [Theory]
    [MemberData(nameof(ChainedBlocks))]
    public void Previous_hash_is_the_header_hash_of_the_block_before(string path)
    {
        var (entry, block) = Load(path);
        var before = VectorIndex.Blocks.Single(b => !b.FromOrderer && b.Number + 1 == entry.Number);
        var (_, previous) = Load(before.Path);

        Assert.Equal(Convert.ToHexStringLower(BlockHeaderHash.Compute(previous.Header)), Convert.ToHexStringLower(block.Header.PreviousHash.Span));
        Assert.Equal(before.HeaderHashHex, entry.PreviousHashHex);
    }

    [Fact]
    public void A_changed_envelope_changes_the_data_hash()
    {
        var (_, block) = Load(VectorIndex.Blocks.First(b => b.Number == 23 && !b.FromOrderer).Path);
        var bytes = block.Data.Data[0].ToByteArray();
        bytes[^1] ^= 1;
        block.Data.Data[0] = ByteString.CopyFrom(bytes);

        Assert.NotEqual(Convert.ToHexStringLower(block.Header.DataHash.Span), Convert.ToHexStringLower(BlockDataHash.Compute(block.Data)));
    }
}
