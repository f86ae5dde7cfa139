using Common;
using Google.Protobuf;

namespace Fabric.Network.Blocks;

/// <summary>Assembles blocks: header chained to the previous header, data hash, five empty metadata slots.</summary>
public static class BlockFactory
{
    public const int MetadataSlots = 5;

    public static Block Create(ulong number, ReadOnlySpan<byte> previousHeaderHash, IEnumerable<ByteString> envelopes)
    {
        var data = new BlockData();
        data.Data.AddRange(envelopes);
        var block = new Block
        {
            Header = new BlockHeader
            {
                Number = number,
                PreviousHash = ByteString.CopyFrom(previousHeaderHash),
                DataHash = ByteString.CopyFrom(BlockHashing.DataHash(data)),
            },
            Data = data,
            Metadata = new BlockMetadata(),
        };
        for (int i = 0; i < MetadataSlots; i++) block.Metadata.Metadata.Add(ByteString.Empty);
        return block;
    }
}
