namespace CashTransfer.Api.Client;

/// <summary>
/// A call to the CashTransfer service failed. <see cref="Advice"/> says what the caller can do about it, in words
/// a person acts on; the subclasses say which failure it was.
/// </summary>
public abstract class CashTransferApiException(string message, string advice, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What to do next (e.g. "check the id", "try again later").</summary>
    public string Advice { get; } = advice;

    /// <summary>Whether the same call may succeed later without any change.</summary>
    public abstract bool IsTransient { get; }
}
