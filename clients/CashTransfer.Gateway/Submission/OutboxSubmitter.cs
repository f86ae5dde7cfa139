using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Telemetry;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace CashTransfer.Gateway.Submission;

/// <summary>
/// Works through the outbox: endorses each receipt's <c>Redemption:Redeem</c>, stores the endorsed transaction,
/// submits it and reads its commit status. Exactly-once comes from two facts: the redemption id is a ledger key
/// (a repeat returns the first outcome), and once a transaction is stored only that transaction is ever sent
/// again, after its commit status showed it is not in a block. On an MVCC conflict the receipt is endorsed afresh.
/// </summary>
public sealed class OutboxSubmitter(
    OutboxRepository outbox,
    ILedgerGateway ledger,
    LedgerPipelines pipelines,
    IOptions<GatewayOptions> options,
    TimeProvider clock,
    GatewayMetrics metrics,
    ILogger<OutboxSubmitter> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private SubmitterOptions O => options.Value.Submitter;
    private LedgerCaller Caller => LedgerCaller.For(ClientRole.Terminal, options.Value.AgencyMsp);

    /// <summary>Asks the submitter to look at the outbox now rather than at its next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!O.Enabled) return;
        logger.LogInformation("Outbox submitter started");
        while (!stoppingToken.IsCancellationRequested)
        {
            int worked;
            try
            {
                worked = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Outbox pass failed; retrying");
                worked = 0;
            }
            if (worked == 0)
            {
                try { await _wake.WaitAsync(O.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        logger.LogInformation("Outbox submitter stopped; unfinished receipts stay in the outbox");
    }

    /// <summary>One pass: claims due receipts and works each one step towards a final status. Returns how many it claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        if (pipelines.LedgerUnreachable) return 0;
        var due = await outbox.ClaimDueAsync(clock.GetUtcNow(), O.Lease, O.BatchSize, ct);
        try
        {
            // Terminals in parallel; each terminal's receipts one after the other in journal order, so that the ledger
            // decides them in the order they were sold (a later sale, not an earlier one, meets an exhausted balance).
            var byTerminal = due.GroupBy(e => e.TerminalId).Select(g => g.OrderBy(e => e.Sequence).ToList());
            await Parallel.ForEachAsync(byTerminal, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, O.Concurrency), CancellationToken = ct },
                async (receipts, token) =>
                {
                    foreach (var entry in receipts)
                        if (!await ProcessAsync(entry, token)) break; // the rest wait until this one is settled
                });
        }
        finally
        {
            // On a stop, unfinished entries are handed back at once; after a crash their lease simply runs out.
            if (due.Count > 0) await outbox.ReleaseLeasesAsync(due.Select(e => e.RedemptionId).ToList(), due[0].LeaseUntil, CancellationToken.None);
        }
        return due.Count;
    }

    /// <summary>Takes one receipt a step further; true when it reached a final status (committed or rejected).</summary>
    private async Task<bool> ProcessAsync(OutboxEntry entry, CancellationToken ct)
    {
        try
        {
            var prepared = entry.PreparedTx is null ? null : PreparedTransactionJson.Deserialize(entry.PreparedTx);
            if (prepared is not null)
            {
                // The stored transaction may have reached the orderer: its commit status decides before anything is sent again.
                var status = await pipelines.Idempotent.ExecuteAsync(async t => await ledger.GetCommitStatusAsync(Caller, prepared.TxId, StatusWait(entry), t), ct);
                if (status is not null) return await FinishAsync(entry, prepared, status, ct);
            }
            else
            {
                if (entry.Attempts >= O.MaxEndorsements)
                {
                    await RejectAsync(entry, "NotCommitted", $"The ledger did not commit this receipt after {entry.Attempts} endorsements; last error: {entry.LastError}", null, ct);
                    return true;
                }
                prepared = await pipelines.Idempotent.ExecuteAsync(async t => await ledger.EndorseAsync(Caller, ChaincodeFunctions.Redeem, [entry.SignedReceipt], t), ct);
                await outbox.SavePreparedAsync(entry.RedemptionId, prepared.TxId, PreparedTransactionJson.Serialize(prepared), clock.GetUtcNow(), ct);
                entry.Attempts++;
            }

            var started = Stopwatch.GetTimestamp();
            await pipelines.Breaker.ExecuteAsync(async t => await ledger.SubmitAsync(Caller, prepared, t), ct);
            await outbox.MarkSubmittedAsync(entry.RedemptionId, clock.GetUtcNow(), ct);
            var committed = await pipelines.Idempotent.ExecuteAsync(async t => await ledger.GetCommitStatusAsync(Caller, prepared.TxId, O.CommitWait, t), ct);
            metrics.SubmitDuration(Stopwatch.GetElapsedTime(started));
            if (committed is null)
            {
                await RetryLaterAsync(entry, $"Transaction {prepared.TxId} not in a block within {O.CommitWait.TotalSeconds:0} s", countAttempt: false, ct);
                return false;
            }
            return await FinishAsync(entry, prepared, committed, ct);
        }
        catch (ChaincodeRejectedException e)
        {
            // The chaincode refused to record it at all (e.g. the signature does not verify with the ledger's key).
            await RejectAsync(entry, $"Refused{e.Status}", e.Message, null, ct);
            return true;
        }
        catch (BrokenCircuitException)
        {
            metrics.LedgerFailure("circuit-open");
            await outbox.RecordFailureAsync(entry.RedemptionId, "The ledger is unreachable (circuit open)", clock.GetUtcNow() + O.BreakerBreakDuration, clock.GetUtcNow(), countAttempt: false, ct);
            return false;
        }
        catch (LedgerException e) when (e.IsTransient)
        {
            metrics.LedgerFailure("transient");
            await RetryLaterAsync(entry, e.Message, countAttempt: false, ct);
            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the lease is handed back and the receipt picked up again, its stored transaction checked first.
            return false;
        }
    }

    private TimeSpan StatusWait(OutboxEntry entry) => entry.Status == ReceiptStatus.Submitted ? O.CommitWait : TimeSpan.FromSeconds(Math.Min(5, O.CommitWait.TotalSeconds));

    private async Task<bool> FinishAsync(OutboxEntry entry, PreparedTransaction prepared, CommitStatusResult status, CancellationToken ct)
    {
        switch (status.Outcome)
        {
            case CommitOutcome.Committed:
                var outcome = Encoding.UTF8.GetString(prepared.Result);
                var redemption = JsonSerializer.Deserialize<RedemptionRecord>(outcome, LedgerJson.Options);
                if (redemption?.Status == "Rejected")
                    await RejectAsync(entry, redemption.Rejection?.Code ?? "Rejected", redemption.Rejection?.Message ?? "The ledger rejected the receipt.", outcome, ct);
                else
                {
                    await outbox.MarkCommittedAsync(entry.RedemptionId, outcome, clock.GetUtcNow(), ct);
                    metrics.Finished(ReceiptStatus.Committed);
                    logger.LogInformation("Receipt {RedemptionId} of terminal {TerminalId} committed in block {Block}", entry.RedemptionId, entry.TerminalId, status.BlockNumber);
                }
                return true;
            case CommitOutcome.Conflict:
                metrics.LedgerFailure("mvcc-conflict");
                await outbox.ResetForEndorsementAsync(entry.RedemptionId, $"{status.ValidationCode} in block {status.BlockNumber}; endorsing again",
                    clock.GetUtcNow() + Backoff.Delay(0, O.BaseDelay, O.MaxDelay), clock.GetUtcNow(), ct);
                return false;
            default:
                metrics.LedgerFailure("invalid");
                await outbox.ResetForEndorsementAsync(entry.RedemptionId, $"Invalidated as {status.ValidationCode} in block {status.BlockNumber}; endorsing again",
                    clock.GetUtcNow() + Backoff.Delay(entry.Attempts, O.BaseDelay, O.MaxDelay), clock.GetUtcNow(), ct);
                return false;
        }
    }

    private async Task RejectAsync(OutboxEntry entry, string reason, string detail, string? outcome, CancellationToken ct)
    {
        await outbox.MarkRejectedAsync(entry.RedemptionId, reason, detail, outcome, clock.GetUtcNow(), ct);
        metrics.Finished(ReceiptStatus.Rejected);
        logger.LogInformation("Receipt {RedemptionId} of terminal {TerminalId} rejected: {Reason}", entry.RedemptionId, entry.TerminalId, reason);
    }

    private async Task RetryLaterAsync(OutboxEntry entry, string error, bool countAttempt, CancellationToken ct)
    {
        var next = clock.GetUtcNow() + Backoff.Delay(entry.Attempts, O.BaseDelay, O.MaxDelay);
        logger.LogWarning("Receipt {RedemptionId}: {Error}; next try at {Next:O}", entry.RedemptionId, error, next);
        await outbox.RecordFailureAsync(entry.RedemptionId, error, next, clock.GetUtcNow(), countAttempt, ct);
    }
}
