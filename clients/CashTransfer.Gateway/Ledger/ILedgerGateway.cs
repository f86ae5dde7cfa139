namespace CashTransfer.Gateway.Ledger;

/// <summary>A chaincode transaction that peers endorsed: its id, the signed envelope to submit, and the function's result.</summary>
/// <param name="TxId">The Fabric transaction id.</param>
/// <param name="Envelope">The signed transaction envelope; submitting it again is safe (a duplicate transaction id changes nothing).</param>
/// <param name="Result">The transaction function's result as the endorsing peers computed it.</param>
public sealed record PreparedTransaction(string TxId, byte[] Envelope, byte[] Result);

/// <summary>How a submitted transaction ended.</summary>
public enum CommitOutcome
{
    /// <summary>Valid: its writes are on the ledger.</summary>
    Committed,
    /// <summary>Invalidated by an MVCC or phantom read conflict: endorse it afresh.</summary>
    Conflict,
    /// <summary>Invalidated for another reason (see the code).</summary>
    Invalid,
}

/// <summary>The commit status of a transaction id.</summary>
public sealed record CommitStatusResult(CommitOutcome Outcome, string ValidationCode, long BlockNumber);

/// <summary>One chaincode event, with where it sits in the ledger (block number and transaction id).</summary>
public sealed record LedgerEvent(long BlockNumber, string TxId, string EventName, byte[] Payload);

/// <summary>
/// The ledger as the gateway service needs it: the fine-grained transaction flow (endorse, submit, commit status),
/// evaluation, and chaincode events from a checkpoint. Implemented over Fabric.Client, and in memory for tests.
/// Functions are named <c>Contract:Function</c> (e.g. <c>Redemption:Redeem</c>); arguments are strings (records as JSON).
/// </summary>
public interface ILedgerGateway
{
    /// <summary>Has the peers endorse a transaction and returns it signed and ready to submit; nothing is written yet.</summary>
    /// <exception cref="ChaincodeRejectedException">The chaincode refused it.</exception>
    /// <exception cref="LedgerUnavailableException">No answer.</exception>
    Task<PreparedTransaction> EndorseAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct);

    /// <summary>Sends an endorsed transaction to the orderer. An exception leaves the outcome unknown: check the commit status before sending again.</summary>
    Task SubmitAsync(LedgerCaller caller, PreparedTransaction transaction, CancellationToken ct);

    /// <summary>The commit status of a transaction id, or null when it is not in a block within <paramref name="wait"/>.</summary>
    Task<CommitStatusResult?> GetCommitStatusAsync(LedgerCaller caller, string txId, TimeSpan wait, CancellationToken ct);

    /// <summary>Runs a query on a peer and returns its result.</summary>
    Task<byte[]> EvaluateAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct);

    /// <summary>
    /// The chaincode's events in ledger order, starting after <paramref name="after"/> (the last event already
    /// processed), or from the first block when null. The stream ends only by cancellation or failure.
    /// </summary>
    IAsyncEnumerable<LedgerEvent> ListenAsync(LedgerCaller caller, Storage.ProjectionCheckpoint? after, CancellationToken ct);
}
