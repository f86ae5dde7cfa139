namespace CashTransfer.Gateway.Submission;

/// <summary>When to try a receipt again after a failed attempt: exponential in the attempts, capped, with full jitter.</summary>
public static class Backoff
{
    public static TimeSpan Delay(long attempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Min(Math.Max(attempts, 0), 20);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
