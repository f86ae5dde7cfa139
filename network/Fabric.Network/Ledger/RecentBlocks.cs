using Common;

namespace Fabric.Network.Ledger;

/// <summary>
/// The last blocks committed, kept parsed. Chaincode-event and deliver streams read each block as soon as it is
/// committed; without these they would read it back from the block file and parse it once per stream.
/// </summary>
internal sealed class RecentBlocks(int capacity)
{
    /// <summary>Enough for streams a few blocks behind the tip; one further behind reads the block file.</summary>
    public const int DefaultCapacity = 16;

    private readonly Block?[] _ring = new Block?[capacity];
    private readonly Lock _lock = new();

    public void Add(Block block)
    {
        var kept = block.Clone();
        lock (_lock) _ring[Slot(block.Header.Number)] = kept;
    }

    /// <summary>A copy of block <paramref name="number"/> if it is kept, else null. A copy, so that a caller may change
    /// what it gets; it shares the block's bytes, which protobuf never changes, so it costs a few small objects.</summary>
    public Block? Find(ulong number)
    {
        Block? kept;
        lock (_lock) kept = _ring[Slot(number)];
        return kept is not null && kept.Header.Number == number ? kept.Clone() : null;
    }

    private int Slot(ulong number) => (int)(number % (ulong)_ring.Length);
}
