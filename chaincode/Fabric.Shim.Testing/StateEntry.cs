namespace Fabric.Shim.Testing;

/// <summary>A committed value with the commit sequence that wrote it (Fabric's block/tx height) and its key-level endorsement policy.</summary>
internal sealed record StateEntry(byte[] Value, long Version, byte[] ValidationParameter);

/// <summary>One range query as the transaction iterated it: the keys and versions it saw and whether it reached the end.</summary>
internal sealed record RangeRead(string StartKey, string EndKey, List<(string Key, long Version)> Seen)
{
    public bool Exhausted { get; set; }
}
