namespace CashTransfer.Gateway.Intake;

/// <summary>Why a batch was refused (nothing of it was stored): an HTTP status, a problem type and a message, with details per receipt.</summary>
public sealed record IntakeProblem(int Status, string Type, string Title, string Detail, IReadOnlyList<string> Receipts, long? ExpectedSequence = null, long? ReceivedSequence = null);

/// <summary>The outcome of an upload: stored and acknowledged, or refused.</summary>
public sealed record IntakeResult(BatchAcknowledgement? Acknowledgement, IntakeProblem? Problem)
{
    public static IntakeResult Ok(BatchAcknowledgement a) => new(a, null);
    public static IntakeResult Refused(IntakeProblem p) => new(null, p);
}
