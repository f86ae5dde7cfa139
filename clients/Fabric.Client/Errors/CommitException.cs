using Protos;

namespace Fabric.Client;

/// <summary>
/// The transaction was ordered into a block but the committing peers marked it invalid
/// (e.g. <see cref="TxValidationCode.MvccReadConflict"/> when another transaction changed a key it read).
/// Its writes were not applied.
/// </summary>
public sealed class CommitException : Exception
{
    public CommitException(CommitStatus status)
        : base($"Transaction {status.TransactionId} failed to commit with status code {(int)status.Code} ({status.Code}) in block {status.BlockNumber}.")
    {
        Status = status;
    }

    public CommitStatus Status { get; }
    public string TransactionId => Status.TransactionId;
    public TxValidationCode Code => Status.Code;
}
