using CashTransfer.Api;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace CashTransfer.Gateway.Ledger;

/// <summary>The one-call forms used by the API: endorse, submit and wait for the commit; evaluate and parse JSON.</summary>
public static class LedgerExtensions
{
    /// <summary>Endorses again, after a short wait, when the peers' endorsements differed (<see cref="EndorsementMismatchException"/>).</summary>
    private static readonly ResiliencePipeline EndorseAgain = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        ShouldHandle = new PredicateBuilder().Handle<EndorsementMismatchException>(),
        MaxRetryAttempts = 4,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromMilliseconds(200),
    }).Build();

    /// <summary>Endorses, submits and waits (up to <paramref name="wait"/>) for a valid commit; returns the function's result.</summary>
    public static async Task<byte[]> SubmitAndWaitAsync(this ILedgerGateway ledger, LedgerCaller caller, string function, IReadOnlyList<string> arguments, TimeSpan wait, CancellationToken ct)
    {
        var prepared = await EndorseAgain.ExecuteAsync(async t => await ledger.EndorseAsync(caller, function, arguments, t), ct);
        await ledger.SubmitAsync(caller, prepared, ct);
        var status = await ledger.GetCommitStatusAsync(caller, prepared.TxId, wait, ct)
            ?? throw new LedgerUnavailableException($"Transaction {prepared.TxId} was not committed within {wait.TotalSeconds:0} s; its outcome is unknown.");
        return status.Outcome == CommitOutcome.Committed
            ? prepared.Result
            : throw new LedgerCommitFailedException(prepared.TxId, status.ValidationCode);
    }

    public static async Task<T> EvaluateJsonAsync<T>(this ILedgerGateway ledger, LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct) =>
        JsonSerializer.Deserialize<T>(await ledger.EvaluateAsync(caller, function, arguments, ct), ApiJson.Options)
        ?? throw new InvalidOperationException($"{function} returned JSON null.");
}

/// <summary>A transaction reached a block but was invalidated (e.g. an MVCC conflict): nothing was written.</summary>
public sealed class LedgerCommitFailedException(string txId, string validationCode)
    : LedgerException($"Transaction {txId} was invalidated at commit ({validationCode}); nothing was written. Try again.")
{
    public string TxId { get; } = txId;
    public string ValidationCode { get; } = validationCode;
    public override bool IsTransient => true;
}
