using Fabric.Client;
using Polly;
using Polly.Retry;

namespace CashTransfer.Chaincode.Benchmarks;

/// <summary>
/// Fabric.Client's transient retry (as <see cref="GatewayResilience.TransientRetry"/>) with a count of the endorsements
/// it repeated because the endorsing peers' answers differed. On a real network whose policy needs two agencies'
/// peers, a terminal's next sale can reach the second peer before it committed the block with its previous one.
/// </summary>
public sealed class CountedRetries
{
    private long _endorsementMismatches;
    private long _otherTransient;

    public long EndorsementMismatches => Interlocked.Read(ref _endorsementMismatches);
    public long OtherTransient => Interlocked.Read(ref _otherTransient);

    public GatewayOptions Options() => new()
    {
        Resilience = new GatewayResilienceOptions
        {
            IdempotentCalls = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(GatewayResilience.IsTransient),
                MaxRetryAttempts = 5,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                OnRetry = retry =>
                {
                    if (retry.Outcome.Exception is { } e && GatewayResilience.IsEndorsementMismatch(e)) Interlocked.Increment(ref _endorsementMismatches);
                    else Interlocked.Increment(ref _otherTransient);
                    return ValueTask.CompletedTask;
                },
            }).Build(),
        },
    };
}
