namespace CashTransfer.Api.Client;

/// <summary>How the client retries a call that got no answer, or 502/503/504/429: exponential backoff with jitter, the same Idempotency-Key each time.</summary>
public sealed class CashTransferClientOptions
{
    /// <summary>Retries after the first attempt (0: none).</summary>
    public int MaxRetryAttempts { get; set; } = 3;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt may take (an upload of 10^6 rows takes a while to send).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
