using Common;
using Fabric.Protocol.Transactions;

namespace Fabric.Protocol.Ledger;

/// <summary>Reads the transactions of a block, typed, with their validation codes.</summary>
/// <example><code>
/// foreach (var tx in BlockTransactions.Read(block).Where(t => t.IsValid))
///     foreach (var action in tx.Envelope.Actions) Handle(action.Event);
/// </code></example>
public static class BlockTransactions
{
    /// <summary>Every transaction in order; throws <see cref="FormatException"/> naming the entry that is malformed.</summary>
    public static IReadOnlyList<BlockTransaction> Read(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var codes = TransactionsFilter.Read(block);
        var data = block.Data?.Data ?? [];
        return data.Select((bytes, i) =>
        {
            TransactionEnvelope envelope;
            try
            {
                envelope = TransactionEnvelope.Parse(bytes);
            }
            catch (FormatException e)
            {
                throw new FormatException($"Block {block.Header?.Number} data[{i}]: {e.Message}", e);
            }
            return new BlockTransaction(i, envelope, codes.Count > 0 ? codes[i] : null);
        }).ToArray();
    }
}
