namespace Fabric.Shim.Testing;

/// <summary>The outcome of committing one simulated transaction; its writes and event apply only when <see cref="Code"/> is Valid.</summary>
/// <param name="WrittenKeys">How many keys the transaction wrote or deleted (state, metadata and private data).</param>
public sealed record CommitResult(string TxId, long BlockNumber, ValidationCode Code, ChaincodeEventRecord? Event, string Detail, int WrittenKeys = 0)
{
    public bool IsValid => Code == ValidationCode.Valid;
}
