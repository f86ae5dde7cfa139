namespace Fabric.Shim.Testing;

/// <summary>The outcome of committing one simulated transaction; its writes and event apply only when <see cref="Code"/> is Valid.</summary>
public sealed record CommitResult(string TxId, long BlockNumber, ValidationCode Code, ChaincodeEventRecord? Event, string Detail)
{
    public bool IsValid => Code == ValidationCode.Valid;
}
