using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace CashTransfer.Gateway.Submission;

/// <summary>
/// The Polly pipelines around ledger calls. One circuit breaker is shared by every call: while the ledger is
/// unreachable it opens and calls fail fast (<see cref="BrokenCircuitException"/>) instead of piling up.
/// <see cref="Idempotent"/> also retries transient failures with exponential backoff and jitter; it is used only
/// for calls that may be repeated (endorse, evaluate, commit status). A submit goes through <see cref="Breaker"/>
/// alone: after an unknown outcome the commit status is checked before the transaction is sent again.
/// </summary>
public sealed class LedgerPipelines
{
    public LedgerPipelines(IOptions<ServiceOptions> options, TimeProvider clock)
    {
        var o = options.Value.Submitter;
        var transient = new PredicateBuilder().Handle<LedgerException>(e => e.IsTransient);
        var breakerOptions = new CircuitBreakerStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<LedgerUnavailableException>(),
            FailureRatio = o.BreakerFailureRatio,
            MinimumThroughput = o.BreakerMinimumThroughput,
            SamplingDuration = o.BreakerSamplingDuration,
            BreakDuration = o.BreakerBreakDuration,
            StateProvider = BreakerState,
            OnOpened = args =>
            {
                Interlocked.Exchange(ref _openUntilTicks, (clock.GetUtcNow() + args.BreakDuration).UtcTicks);
                return ValueTask.CompletedTask;
            },
        };
        _clock = clock;
        // The breaker strategy instance is shared: both pipelines see and feed the same circuit.
        var shared = new ResiliencePipelineBuilder { TimeProvider = clock }.AddCircuitBreaker(breakerOptions).Build();
        Breaker = shared;
        Idempotent = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = Math.Max(1, o.RetryAttempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.BaseDelay,
                MaxDelay = o.MaxDelay,
            })
            .AddPipeline(shared)
            .Build();
    }

    private readonly TimeProvider _clock;
    private long _openUntilTicks;

    public CircuitBreakerStateProvider BreakerState { get; } = new();

    public ResiliencePipeline Breaker { get; }

    public ResiliencePipeline Idempotent { get; }

    /// <summary>
    /// True while the breaker keeps ledger calls from being made. Once the break has lasted its duration this turns
    /// false, so that the next call probes the ledger (Polly moves to half-open only when a call is attempted).
    /// </summary>
    public bool LedgerUnreachable => BreakerState.CircuitState switch
    {
        CircuitState.Isolated => true,
        CircuitState.Open => _clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _openUntilTicks),
        _ => false,
    };
}
