using CashTransfer.Contracts;

namespace CashTransfer.Gateway.Intake;

/// <summary>An upload of offline-queued receipts from one terminal, in journal order.</summary>
public sealed record ReceiptBatch(string TerminalId, IReadOnlyList<SignedReceipt> Receipts);

/// <summary>One receipt as the gateway acknowledges it.</summary>
public sealed record AcknowledgedReceipt(string RedemptionId, long Sequence, string ReceiptHash, string Status);

/// <summary>What the gateway answers once a batch is stored: the receipts and where the terminal's journal now stands.</summary>
public sealed record BatchAcknowledgement(string TerminalId, int Accepted, long LastSequence, string LastReceiptHash, IReadOnlyList<AcknowledgedReceipt> Receipts);

/// <summary>Why a batch was refused (nothing of it was stored): an HTTP status, a problem type and a message, with details per receipt.</summary>
public sealed record IntakeProblem(int Status, string Type, string Title, string Detail, IReadOnlyList<string> Receipts, long? ExpectedSequence = null, long? ReceivedSequence = null);

/// <summary>The outcome of an upload: stored and acknowledged, or refused.</summary>
public sealed record IntakeResult(BatchAcknowledgement? Acknowledgement, IntakeProblem? Problem)
{
    public static IntakeResult Ok(BatchAcknowledgement a) => new(a, null);
    public static IntakeResult Refused(IntakeProblem p) => new(null, p);
}
