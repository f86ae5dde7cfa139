namespace CashTransfer.Audit.Ledger.State;

/// <summary>What the chaincode's own queries say about one key: whether it holds a value, the value, and who wrote it last.</summary>
public sealed record QueriedState(bool Exists, ReadOnlyMemory<byte> Value, string? LastTransactionId);

/// <summary>Asks the chaincode (through a peer) about a key of its namespace, to compare with the rebuilt state.</summary>
public interface IWorldStateQuery
{
    /// <summary>The namespace (chaincode name) whose keys this query reaches.</summary>
    string Namespace { get; }

    /// <summary>The chaincode's answer for <paramref name="key"/>, or null when no query of the contract reaches that key.</summary>
    Task<QueriedState?> QueryAsync(string key, CancellationToken cancellationToken);
}
