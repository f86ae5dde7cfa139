using Grpc.Core;
using Polly;
using Polly.Retry;
using Protos;

namespace Fabric.Client;

/// <summary>Building blocks for <see cref="GatewayResilienceOptions"/>: which failures are transient, and a ready retry pipeline.</summary>
public static class GatewayResilience
{
    /// <summary>gRPC codes after which the same request may succeed: the peer or orderer was unreachable, slow or overloaded.</summary>
    public static IReadOnlySet<StatusCode> TransientStatusCodes { get; } =
        new HashSet<StatusCode> { StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.ResourceExhausted };

    /// <summary>Validation codes after which a fresh proposal (re-executed against newer state) may commit.</summary>
    public static IReadOnlySet<TxValidationCode> ConflictCodes { get; } =
        new HashSet<TxValidationCode> { TxValidationCode.MvccReadConflict, TxValidationCode.PhantomReadConflict };

    /// <summary>What Fabric's gateway says when the endorsing peers' answers differ.</summary>
    public const string EndorsementMismatchMessage = "failed to collect enough transaction endorsements";

    /// <summary>
    /// True for a gateway or transport failure with a transient status code, for an endorsement mismatch
    /// (<see cref="IsEndorsementMismatch"/>) and for a chaincode the peer could not reach (<see cref="IsChaincodeUnreachable"/>).
    /// </summary>
    public static bool IsTransient(Exception exception) => IsEndorsementMismatch(exception) || IsChaincodeUnreachable(exception) || !IsTooLarge(exception) && exception switch
    {
        GatewayException e => TransientStatusCodes.Contains(e.StatusCode),
        RpcException e => TransientStatusCodes.Contains(e.StatusCode),
        _ => false,
    };

    /// <summary>
    /// ABORTED "failed to collect enough transaction endorsements": under a policy that needs several organisations,
    /// one peer had not yet committed the block another had, so their endorsements differ (the peer logs "read value
    /// mismatch"). Endorsing the same proposal again after a short wait succeeds once the peers have caught up.
    /// A chaincode's own refusal is a different ABORTED ("failed to endorse transaction") and is not retried.
    /// </summary>
    public static bool IsEndorsementMismatch(Exception exception) => exception switch
    {
        GatewayException e => e.StatusCode == StatusCode.Aborted && e.Message.Contains(EndorsementMismatchMessage, StringComparison.Ordinal),
        RpcException e => e.StatusCode == StatusCode.Aborted && e.Message.Contains(EndorsementMismatchMessage, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>What a Fabric 2.5 peer says when the chaincode did not run the transaction at all (not launched, connection refused, timed out).</summary>
    public const string ChaincodeUnreachableMessage = "failed to execute transaction";

    /// <summary>
    /// ABORTED "failed to endorse transaction" whose peer detail says "failed to execute transaction": the peer could not
    /// reach the chaincode (a chaincode server restarting, a launch or a call that timed out), so the contract never
    /// decided anything and endorsing again later may succeed. A contract's own refusal carries "chaincode response NNN"
    /// or "transaction returned with failure" instead, and is not retried.
    /// </summary>
    public static bool IsChaincodeUnreachable(Exception exception) => exception switch
    {
        GatewayException { StatusCode: StatusCode.Aborted } e => e.Details.Any(d => d.Message.Contains(ChaincodeUnreachableMessage, StringComparison.Ordinal)),
        RpcException { StatusCode: StatusCode.Aborted } e => GatewayErrorDetails.From(e).Any(d => d.Message.Contains(ChaincodeUnreachableMessage, StringComparison.Ordinal)),
        _ => false,
    };

    /// <summary>
    /// A message of the call was larger than a gRPC limit on its way (RESOURCE_EXHAUSTED, as grpc-dotnet and grpc-go word
    /// it), or the orderer refused the transaction as larger than the channel's AbsoluteMaxBytes. The same request fails
    /// again, so it is not transient; a smaller transaction may pass.
    /// </summary>
    public static bool IsTooLarge(Exception exception) => exception switch
    {
        GatewayException e => IsTooLarge(e.StatusCode, e.Message) || e.Details.Any(d => d.Message.Contains(OrdererSizeRefusal, StringComparison.Ordinal)),
        RpcException e => IsTooLarge(e.StatusCode, e.Message),
        _ => false,
    };

    private static bool IsTooLarge(StatusCode code, string message) => code switch
    {
        StatusCode.ResourceExhausted => message.Contains("message exceeds the maximum configured message size", StringComparison.Ordinal)
            || message.Contains("message larger than max", StringComparison.Ordinal),
        StatusCode.Aborted => message.Contains(OrdererSizeRefusal, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>What Fabric's orderer says of an envelope larger than AbsoluteMaxBytes (its size filter).</summary>
    private const string OrdererSizeRefusal = "bytes and exceeds maximum allowed";

    /// <summary>
    /// Retries transient failures with exponential backoff and jitter. Use it only around idempotent calls
    /// (which is where <see cref="GatewayResilienceOptions.IdempotentCalls"/> puts it).
    /// </summary>
    /// <param name="maxRetryAttempts">Retries after the first attempt.</param>
    /// <param name="baseDelay">First delay (default 200 ms); doubles each time, with jitter.</param>
    /// <param name="maxDelay">Cap on one delay (default 5 s).</param>
    /// <param name="timeProvider">For tests: a fake clock.</param>
    public static ResiliencePipeline TransientRetry(int maxRetryAttempts = 3, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, TimeProvider? timeProvider = null)
    {
        var builder = new ResiliencePipelineBuilder();
        if (timeProvider is not null) builder.TimeProvider = timeProvider;
        return builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = maxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = baseDelay ?? TimeSpan.FromMilliseconds(200),
            MaxDelay = maxDelay ?? TimeSpan.FromSeconds(5),
        }).Build();
    }
}
