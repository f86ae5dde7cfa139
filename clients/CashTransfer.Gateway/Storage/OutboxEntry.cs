using CashTransfer.Api;

namespace CashTransfer.Gateway.Storage;

/// <summary>
/// One receipt in the outbox. <see cref="TxId"/> and <see cref="PreparedTx"/> hold the endorsed transaction once
/// it exists, so that after a crash or an unknown outcome the same transaction is checked and resent, never a new one.
/// </summary>
public sealed class OutboxEntry
{
    public string RedemptionId { get; set; } = "";
    public string TerminalId { get; set; } = "";
    public long Sequence { get; set; }
    public string ReceiptHash { get; set; } = "";
    /// <summary>JSON of the signed receipt. Holds a beneficiary hash: never logged.</summary>
    public string SignedReceipt { get; set; } = "";
    /// <summary>Where it stands in the <see cref="ReceiptLifecycle"/> (a <see cref="ReceiptState"/>).</summary>
    public string Status { get; set; } = ReceiptState.Received;
    public string? Reason { get; set; }
    public string? ReasonDetail { get; set; }
    public long Attempts { get; set; }
    public string? LastError { get; set; }
    public string? TxId { get; set; }
    public string? PreparedTx { get; set; }
    /// <summary>The ledger's answer (the chaincode's Redemption JSON) once committed.</summary>
    public string? Outcome { get; set; }
    public long ReceivedAt { get; set; }
    public long NextAttemptAt { get; set; }
    public long LeaseUntil { get; set; }
    public long UpdatedAt { get; set; }
}
