using Fabric.Protocol.Transactions;
using Protos;

namespace Fabric.Protocol.Ledger;

/// <summary>
/// A transaction as a block holds it: its position, its parsed envelope, and the validation code the
/// committing peer gave it (null in a block that has not been validated, e.g. straight from an orderer).
/// </summary>
public sealed record BlockTransaction(int Index, TransactionEnvelope Envelope, TxValidationCode? ValidationCode)
{
    public string TransactionId => Envelope.TransactionId;

    public bool IsValid => ValidationCode == TxValidationCode.Valid;
}
