namespace Fabric.Shim.Testing;

/// <summary>
/// What happened to one transaction run through <see cref="TransactionRunner"/>: the function's result or the
/// exception it threw (then nothing was committed, as a failed endorsement writes nothing), and the commit.
/// </summary>
public sealed record TransactionOutcome<T>(T? Result, Exception? Error, CommitResult? Commit)
{
    /// <summary>True when the function returned and its transaction committed as valid.</summary>
    public bool Succeeded => Error is null && Commit is { IsValid: true };

    /// <summary>The result of a successful transaction; throws with the reason otherwise.</summary>
    public T Value => Succeeded
        ? Result!
        : throw new InvalidOperationException(Error is not null
            ? $"The transaction failed: {Error.GetType().Name}: {Error.Message}"
            : $"The transaction was not committed: {Commit?.Code} {Commit?.Detail}", Error);
}
