namespace Fabric.Shim.Testing;

/// <summary>What a simulated transaction is started with; anything left null gets a sensible default.</summary>
public sealed record TransactionOptions
{
    public string Function { get; init; } = "";
    public IReadOnlyList<string> Parameters { get; init; } = [];
    public IReadOnlyDictionary<string, byte[]>? Transient { get; init; }
    /// <summary>The proposal's timestamp; defaults to <see cref="InMemoryWorldState.Clock"/>.</summary>
    public DateTimeOffset? Timestamp { get; init; }
    /// <summary>A fixed transaction id (e.g. to test duplicate rejection); defaults to SHA-256(nonce || creator).</summary>
    public string? TxId { get; init; }
    /// <summary>MSP ids of the endorsing peers for key-level endorsement checks; null skips the check.</summary>
    public IReadOnlyList<string>? Endorsers { get; init; }
}
