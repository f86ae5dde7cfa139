using Polly;

namespace Fabric.Client;

/// <summary>
/// What the client does when a step fails in a way that retrying can fix.
/// <list type="bullet">
/// <item><see cref="IdempotentCalls"/> wraps every call that can be repeated without changing the outcome:
/// evaluate, endorse of the same signed proposal (endorsement writes nothing), submit of the same signed
/// envelope (Fabric rejects a duplicate transaction id), and commit status.</item>
/// <item>When a submit fails with an unknown outcome, the commit status of that transaction id is checked
/// (for up to <see cref="UnknownOutcomeStatusTimeout"/>) before the envelope is sent again.</item>
/// <item><see cref="MaxConflictAttempts"/>: <c>SubmitTransactionAsync</c> re-endorses a fresh proposal (new
/// transaction id) when the commit fails with MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT.</item>
/// </list>
/// </summary>
/// <example><code>
/// var options = new GatewayOptions
/// {
///     Resilience = new GatewayResilienceOptions
///     {
///         IdempotentCalls = GatewayResilience.TransientRetry(maxRetryAttempts: 5),
///         MaxConflictAttempts = 3,
///     },
/// };
/// </code></example>
public sealed class GatewayResilienceOptions
{
    /// <summary>No retries: every failure reaches the caller as it happened.</summary>
    public static GatewayResilienceOptions None => new();

    /// <summary>Retry transient gRPC codes three times with jittered exponential backoff; re-endorse up to three times on conflicts.</summary>
    public static GatewayResilienceOptions Default => new()
    {
        IdempotentCalls = GatewayResilience.TransientRetry(),
        MaxConflictAttempts = 3,
    };

    /// <summary>The pipeline around each idempotent call; see <see cref="GatewayResilience.TransientRetry"/>.</summary>
    public ResiliencePipeline IdempotentCalls { get; set; } = ResiliencePipeline.Empty;

    /// <summary>How many proposals <c>SubmitTransactionAsync</c> tries in all when commits fail with a read conflict (1 = no retry).</summary>
    public int MaxConflictAttempts { get; set; } = 1;

    /// <summary>
    /// After a submit whose outcome is unknown, how long to wait for the transaction's commit status before
    /// sending the same envelope again. The gateway answers only once the transaction is in a block.
    /// </summary>
    public TimeSpan UnknownOutcomeStatusTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
