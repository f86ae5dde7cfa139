namespace CashTransfer.Gateway.Ledger;

/// <summary>A ledger call failed; <see cref="IsTransient"/> says whether trying again later may succeed.</summary>
public abstract class LedgerException(string message, Exception? inner = null) : Exception(message, inner)
{
    public abstract bool IsTransient { get; }
}

/// <summary>The peers or orderers could not be reached, or did not answer in time. After a submit, its outcome is unknown.</summary>
public sealed class LedgerUnavailableException(string message, Exception? inner = null) : LedgerException(message, inner)
{
    public override bool IsTransient => true;
}

/// <summary>
/// The chaincode refused the call (an error response at endorsement or evaluation): with the chaincode's status
/// (400 invalid, 401 bad signature, 403 forbidden, 404 not found, 409 conflict) and message. Not transient.
/// </summary>
public sealed class ChaincodeRejectedException(int status, string message) : LedgerException(message)
{
    public int Status { get; } = status;
    public override bool IsTransient => false;
}

/// <summary>
/// The endorsing peers' answers differed (Fabric's ABORTED "failed to collect enough transaction endorsements": one
/// peer had not yet committed a block another had). Nothing was written; endorsing again after a short wait succeeds.
/// Transient, but not a sign of an unreachable ledger, so it does not count towards the circuit breaker.
/// </summary>
public sealed class EndorsementMismatchException(string message, Exception? inner = null) : LedgerException(message, inner)
{
    public override bool IsTransient => true;
}

/// <summary>
/// The transaction was larger than a message size limit on its way to the ledger (a gRPC limit of a client or node, or
/// the channel's AbsoluteMaxBytes at the orderer). Nothing was written; the same transaction fails again, a smaller
/// one may pass.
/// </summary>
public sealed class LedgerTransactionTooLargeException(string message, Exception? inner = null) : LedgerException(message, inner)
{
    public override bool IsTransient => false;
}
