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
/// <para>
/// Scheduling is continuous: up to <see cref="SubmitterOptions.Concurrency"/> terminals are worked on at once, each
/// by one worker that decides its claimed receipts strictly in journal order. As soon as a worker is done, its slot
/// is given to the terminal that has waited longest, so one slow terminal holds back only its own receipts.
/// </para>
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
    // Claims are made one at a time, so that a terminal is never claimed while its worker still runs here (its lease may
    // have run out meanwhile). Both maps are only touched while holding this lock.
    private readonly SemaphoreSlim _claiming = new(1);
    private readonly Dictionary<string, Task> _workers = [];
    private readonly Dictionary<string, long> _lastServed = [];
    private long _turns;

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
            try
            {
                await StartWorkersAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Claiming outbox receipts failed; retrying");
            }
            // The next claim comes when a worker finishes, a batch arrives, or the poll interval has passed.
            try { await _wake.WaitAsync(O.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
        // Each worker sees the stop, and hands back the leases of the receipts it did not finish.
        await _claiming.WaitAsync(CancellationToken.None);
        try { await Task.WhenAll(_workers.Values); }
        finally { _claiming.Release(); }
        logger.LogInformation("Outbox submitter stopped; unfinished receipts stay in the outbox");
    }

    /// <summary>
    /// Claims due receipts for the free worker slots and waits until those workers are done. Returns how many
    /// receipts it claimed. For tests and tools that drive the submitter step by step; the service schedules continuously.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var (claimed, workers) = await StartWorkersAsync(ct);
        await Task.WhenAll(workers);
        return claimed;
    }

    /// <summary>
    /// Gives each free slot to a terminal with due receipts: terminals not served for longest first, then the one whose
    /// receipts have waited longest. Each gets at most its share of <see cref="SubmitterOptions.BatchSize"/>, so that
    /// slots rotate when more terminals have work than there are slots.
    /// </summary>
    private async Task<(int Claimed, List<Task> Workers)> StartWorkersAsync(CancellationToken ct)
    {
        var started = new List<Task>();
        if (pipelines.LedgerUnreachable) return (0, started);
        await _claiming.WaitAsync(ct);
        try
        {
            foreach (var done in _workers.Where(w => w.Value.IsCompleted).Select(w => w.Key).ToList()) _workers.Remove(done);
            var concurrency = Math.Max(1, O.Concurrency);
            var free = concurrency - _workers.Count;
            if (free <= 0) return (0, started);

            var now = clock.GetUtcNow();
            var chosen = (await outbox.ReadyTerminalsAsync(now, ct))
                .Where(t => !_workers.ContainsKey(t.TerminalId))
                .OrderBy(t => _lastServed.GetValueOrDefault(t.TerminalId))
                .ThenBy(t => t.OldestReceivedAt)
                .Take(free)
                .Select(t => t.TerminalId)
                .ToList();
            if (chosen.Count == 0) return (0, started);

            var share = Math.Max(1, O.BatchSize / concurrency);
            var claimed = await outbox.ClaimDueAsync(now, O.Lease, share * chosen.Count, chosen, ct);
            foreach (var receipts in claimed.GroupBy(e => e.TerminalId))
            {
                _lastServed[receipts.Key] = ++_turns;
                var worker = Task.Run(() => WorkAsync(receipts.OrderBy(e => e.Sequence).ToList(), ct), CancellationToken.None);
                _workers[receipts.Key] = worker;
                started.Add(worker);
            }
            return (claimed.Count, started);
        }
        finally
        {
            _claiming.Release();
        }
    }

    /// <summary>
    /// Decides one terminal's claimed receipts in journal order, so that the ledger decides them in the order they were
    /// sold (a later sale, not an earlier one, meets an exhausted balance). A receipt that is not settled stops the run.
    /// </summary>
    private async Task WorkAsync(IReadOnlyList<OutboxEntry> receipts, CancellationToken ct)
    {
        var settled = 0;
        try
        {
            foreach (var entry in receipts)
            {
                if (!await ProcessAsync(entry, ct)) break; // the rest wait until this one is settled
                settled++;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: handed back below.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Working on terminal {TerminalId}'s receipts failed; retrying", receipts[0].TerminalId);
            // A fault that persists (e.g. the database) should not turn into a tight loop of claims.
            try { await Task.Delay(O.PollInterval, ct); }
            catch (OperationCanceledException) { }
        }
        finally
        {
            // On a stop or a failure the unsettled receipts are handed back at once; after a crash their lease simply runs out.
            var unsettled = receipts.Skip(settled).Select(e => e.RedemptionId).ToList();
            try
            {
                if (unsettled.Count > 0) await outbox.ReleaseLeasesAsync(unsettled, receipts[0].LeaseUntil, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not hand back the leases of terminal {TerminalId}'s receipts; they run out instead", receipts[0].TerminalId);
            }
            Wake();
        }
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
                // One durable write before the send: the transaction, and the status that says it may be on its way.
                await outbox.SavePreparedAsync(entry.RedemptionId, prepared.TxId, PreparedTransactionJson.Serialize(prepared), clock.GetUtcNow(), ct);
                entry.Status = ReceiptStatus.Submitted;
                entry.Attempts++;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await pipelines.Breaker.ExecuteAsync(async t => await ledger.SubmitAsync(Caller, prepared, t), ct);
            }
            catch
            {
                // Not acknowledged by the orderer: the next attempt waits only briefly for its commit status before resending it.
                entry.Status = ReceiptStatus.Received;
                throw;
            }
            entry.Status = ReceiptStatus.Submitted;
            var committed = await pipelines.Idempotent.ExecuteAsync(async t => await ledger.GetCommitStatusAsync(Caller, prepared.TxId, O.CommitWait, t), ct);
            metrics.SubmitDuration(Stopwatch.GetElapsedTime(started));
            if (committed is null)
            {
                await RetryLaterAsync(entry, $"Transaction {prepared.TxId} not in a block within {O.CommitWait.TotalSeconds:0} s", ct);
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
            await outbox.RecordFailureAsync(entry.RedemptionId, entry.Status, "The ledger is unreachable (circuit open)", clock.GetUtcNow() + O.BreakerBreakDuration, clock.GetUtcNow(), countAttempt: false, ct);
            return false;
        }
        catch (LedgerException e) when (e.IsTransient)
        {
            metrics.LedgerFailure("transient");
            await RetryLaterAsync(entry, e.Message, ct);
            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the lease is handed back and the receipt picked up again, its stored transaction checked first.
            return false;
        }
    }

    /// <summary>
    /// How long to wait for a stored transaction's commit status before sending it again: the full commit wait when it
    /// may have reached the orderer (submitted), briefly when its send is known to have failed.
    /// </summary>
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

    private async Task RetryLaterAsync(OutboxEntry entry, string error, CancellationToken ct)
    {
        var next = clock.GetUtcNow() + Backoff.Delay(entry.Attempts, O.BaseDelay, O.MaxDelay);
        logger.LogWarning("Receipt {RedemptionId}: {Error}; next try at {Next:O}", entry.RedemptionId, error, next);
        await outbox.RecordFailureAsync(entry.RedemptionId, entry.Status, error, next, clock.GetUtcNow(), countAttempt: false, ct);
    }
}
