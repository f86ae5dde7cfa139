using CashTransfer.Api;

namespace CashTransfer.Gateway.Storage;

/// <summary>
/// One receipt in the outbox. <see cref="TxId"/>, <see cref="PreparedEnvelope"/> and <see cref="PreparedResult"/> hold
/// the endorsed transaction once it exists, so that after a crash or an unknown outcome the same transaction is checked
/// and resent, never a new one.
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
    /// <summary>The endorsed transaction as the ledger client serialized it, to be sent as it is.</summary>
    public byte[]? PreparedEnvelope { get; set; }
    /// <summary>The chaincode's result in the endorsed transaction.</summary>
    public byte[]? PreparedResult { get; set; }
    /// <summary>The endorsed transaction as earlier versions kept it (JSON holding base64); read, no longer written.</summary>
    public string? PreparedTx { get; set; }
    /// <summary>The ledger's answer (the chaincode's Redemption JSON) once committed.</summary>
    public string? Outcome { get; set; }
    public long ReceivedAt { get; set; }
    public long NextAttemptAt { get; set; }
    public long LeaseUntil { get; set; }
    public long UpdatedAt { get; set; }
}
