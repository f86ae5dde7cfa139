namespace Fabric.Shim.Testing;

/// <summary>How the in-memory committer marked a transaction, named after Fabric's <c>TxValidationCode</c>.</summary>
public enum ValidationCode
{
    Valid,
    /// <summary>A key the transaction read was changed by a transaction committed after the read.</summary>
    MvccReadConflict,
    /// <summary>A range the transaction scanned now holds different keys or versions.</summary>
    PhantomReadConflict,
    /// <summary>A written key's key-level endorsement policy is not satisfied by the endorsers.</summary>
    EndorsementPolicyFailure,
    DuplicateTxId,
}
