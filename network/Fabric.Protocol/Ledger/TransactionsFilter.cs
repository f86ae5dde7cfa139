using Common;
using Protos;

namespace Fabric.Protocol.Ledger;

/// <summary>
/// The validation code of each transaction in a committed block: metadata slot TRANSACTIONS_FILTER holds
/// one byte per transaction, written by the committing peer. Blocks straight from an orderer leave it empty.
/// </summary>
public static class TransactionsFilter
{
    /// <summary>One code per transaction, or an empty list when the block carries no filter (not yet validated).</summary>
    public static IReadOnlyList<TxValidationCode> Read(Block block)
    {
        var filter = MetadataSlot(block, BlockMetadataIndex.TransactionsFilter);
        if (filter.IsEmpty) return [];
        int transactions = block.Data?.Data.Count ?? 0;
        if (filter.Length != transactions)
            throw new FormatException(
                $"Block {block.Header?.Number}: TRANSACTIONS_FILTER has {filter.Length} entries, expected one per transaction ({transactions}).");
        return filter.ToByteArray().Select(code => (TxValidationCode)code).ToArray();
    }

    /// <summary>The serialized filter for <paramref name="codes"/>, as a committer writes it into the block metadata.</summary>
    public static Google.Protobuf.ByteString Encode(IEnumerable<TxValidationCode> codes) =>
        Google.Protobuf.ByteString.CopyFrom(codes.Select(code => checked((byte)code)).ToArray());

    internal static Google.Protobuf.ByteString MetadataSlot(Block block, BlockMetadataIndex index)
    {
        ArgumentNullException.ThrowIfNull(block);
        var slots = block.Metadata?.Metadata;
        return slots is not null && slots.Count > (int)index ? slots[(int)index] : Google.Protobuf.ByteString.Empty;
    }
}
