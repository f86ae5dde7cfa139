namespace CashTransfer.Audit.Ledger.State;

/// <summary>One version of a key as the chaincode's history gives it: the transaction that wrote it, and what it wrote.</summary>
public sealed record KeyVersion(string TxId, bool IsDelete, ReadOnlyMemory<byte> Value);

/// <summary>Asks the chaincode (through a peer) about a key of its namespace, to compare with the rebuilt state.</summary>
public interface IWorldStateQuery
{
    /// <summary>The namespace (chaincode name) whose keys this query reaches.</summary>
    string Namespace { get; }

    /// <summary>Whether a query of the contract reaches <paramref name="key"/> (index keys, for one, are not records).</summary>
    bool Reaches(string key);

    /// <summary>
    /// The versions of a reachable key, newest first. The comparison reads only as far as the version the rebuilt
    /// state names, so an implementation should fetch them lazily, page by page.
    /// </summary>
    IAsyncEnumerable<KeyVersion> VersionsAsync(string key, CancellationToken cancellationToken);
}
