using Protos;

namespace Fabric.Client;

/// <summary>
/// How a submitted transaction ended: the block it landed in and the validation code the committing peers gave it.
/// Only <see cref="TxValidationCode.Valid"/> transactions changed the ledger.
/// </summary>
/// <param name="TransactionId">The transaction id.</param>
/// <param name="Code">Fabric's validation code, e.g. VALID or MVCC_READ_CONFLICT.</param>
/// <param name="BlockNumber">The block that holds the transaction.</param>
public sealed record CommitStatus(string TransactionId, TxValidationCode Code, ulong BlockNumber)
{
    /// <summary>True when the transaction is valid and its writes were applied.</summary>
    public bool Successful => Code == TxValidationCode.Valid;
}
