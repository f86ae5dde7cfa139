using Common;
using Fabric.Protocol.Ledger;

namespace CashTransfer.Audit.Ledger;

/// <summary>How two peers' copies of the same block differ: header hash first, then the validation flags each peer wrote.</summary>
public sealed record BlockDifference(string What, string Mine, string Theirs)
{
    public static BlockDifference? Between(Block mine, Block theirs)
    {
        var a = Convert.ToHexStringLower(BlockHeaderHash.Compute(mine.Header));
        var b = Convert.ToHexStringLower(BlockHeaderHash.Compute(theirs.Header));
        if (a != b) return new("block header hash", a, b);
        var flagsA = Flags(mine);
        var flagsB = Flags(theirs);
        return flagsA == flagsB ? null : new("validation flags (TRANSACTIONS_FILTER)", flagsA, flagsB);
    }

    private static string Flags(Block block) =>
        Convert.ToHexStringLower(block.Metadata?.Metadata.Count > (int)BlockMetadataIndex.TransactionsFilter
            ? block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter].Span : []);
}
