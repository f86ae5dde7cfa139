using CashTransfer.Api;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Telemetry;
using Microsoft.Extensions.Options;
using Fabric.Client;
using Polly.CircuitBreaker;

namespace CashTransfer.Gateway.Submission;

/// <summary>
/// Takes one outbox receipt a step along its <see cref="ReceiptLifecycle"/>: endorses its <c>Redemption:Redeem</c>,
/// stores the endorsed transaction (submitted), submits it and reads its commit status (committed or rejected).
/// Exactly-once comes from two facts: the redemption id is a ledger key (a repeat returns the first outcome), and once
/// a transaction is stored only that transaction is ever sent again, after its commit status showed it is not in a
/// block. On an MVCC conflict the receipt goes back to received and is endorsed afresh. This is the service's one retry
/// layer for unknown submit outcomes: the ledger port submits once (<see cref="ILedgerGateway.SubmitAsync"/>).
/// </summary>
public sealed class ReceiptSubmission(
    OutboxRepository outbox,
    ILedgerGateway ledger,
    LedgerPipelines pipelines,
    IOptions<ServiceOptions> options,
    TimeProvider clock,
    GatewayMetrics metrics,
    ILogger<ReceiptSubmission> logger)
{
    private SubmitterOptions O => options.Value.Submitter;
    private LedgerCaller Caller => LedgerCaller.For(ClientRole.Terminal, options.Value.AgencyMsp);

    /// <summary>
    /// Takes one receipt a step further; true when it reached a final status (committed or rejected). A turn of
    /// <paramref name="atLedger"/> is held only while the ledger works on the receipt (endorsing; submitting and waiting
    /// for the commit), not while its transaction or outcome is stored.
    /// </summary>
    public async Task<bool> AdvanceAsync(OutboxEntry entry, SemaphoreSlim atLedger, CancellationToken ct)
    {
        using var turn = new LedgerTurn(atLedger);
        try
        {
            var prepared = StoredTransaction.Read(entry);
            var started = 0L;
            Task Send(CancellationToken t)
            {
                started = Stopwatch.GetTimestamp();
                return SendAsync(entry, prepared!, t);
            }
            if (prepared is not null)
            {
                // The stored transaction may have reached the orderer: its commit status decides before it is sent again.
                await turn.EnterAsync(ct);
                var found = await UnknownSubmitOutcome.CheckThenResendAsync(
                    (wait, t) => RecheckAsync(prepared.TxId, wait, t), Send, StatusWait(entry), ct);
                if (found is not null)
                {
                    turn.Leave();
                    return await FinishAsync(entry, prepared, found, ct);
                }
            }
            else
            {
                if (entry.Attempts >= O.MaxEndorsements)
                {
                    await RejectAsync(entry, "NotCommitted", $"The ledger did not commit this receipt after {entry.Attempts} endorsements; last error: {entry.LastError}", null, ct);
                    return true;
                }
                await turn.EnterAsync(ct);
                var endorsing = Stopwatch.GetTimestamp();
                prepared = await pipelines.Idempotent.ExecuteAsync(async t => await ledger.EndorseAsync(Caller, ChaincodeFunctions.Redeem, [entry.SignedReceipt], t), ct);
                metrics.Phase("endorse", Stopwatch.GetElapsedTime(endorsing));
                turn.Leave();
                // One durable write before the send: the transaction, and the state that says it is on its way.
                var storing = Stopwatch.GetTimestamp();
                if (!await outbox.SavePreparedAsync(entry.RedemptionId, prepared.TxId, prepared.Envelope, prepared.Result, clock.GetUtcNow(), ct))
                    return true; // decided meanwhile (another run of it finished first): nothing more to do
                metrics.Phase("store-transaction", Stopwatch.GetElapsedTime(storing));
                entry.Status = ReceiptState.Submitted;
                entry.Attempts++;
                await turn.EnterAsync(ct);
                await Send(ct);
            }

            var waiting = Stopwatch.GetTimestamp();
            var committed = await pipelines.Idempotent.ExecuteAsync(async t => await ledger.GetCommitStatusAsync(Caller, prepared.TxId, O.CommitWait, t), ct);
            metrics.Phase("commit-wait", Stopwatch.GetElapsedTime(waiting));
            metrics.SubmitDuration(Stopwatch.GetElapsedTime(started));
            turn.Leave();
            if (committed is null)
            {
                await RetryLaterAsync(entry, $"Transaction {prepared.TxId} not in a block within {O.CommitWait.TotalSeconds:0} s", ct);
                return false;
            }
            return await FinishAsync(entry, prepared, committed, ct);
        }
        catch (ChaincodeRejectedException e)
        {
            turn.Leave();
            // The chaincode refused to record it at all (e.g. the signature does not verify with the ledger's key).
            await RejectAsync(entry, $"Refused{e.Status}", e.Message, null, ct);
            return true;
        }
        catch (BrokenCircuitException)
        {
            turn.Leave();
            metrics.LedgerFailure("circuit-open");
            await outbox.RecordFailureAsync(entry.RedemptionId, entry.Status, "The ledger is unreachable (circuit open)", clock.GetUtcNow() + O.BreakerBreakDuration, clock.GetUtcNow(), countAttempt: false, ct);
            return false;
        }
        catch (LedgerException e) when (e.IsTransient)
        {
            turn.Leave();
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

    private async Task SendAsync(OutboxEntry entry, PreparedTransaction prepared, CancellationToken ct)
    {
        var sending = Stopwatch.GetTimestamp();
        try
        {
            await pipelines.Breaker.ExecuteAsync(async t => await ledger.SubmitAsync(Caller, prepared, t), ct);
        }
        catch
        {
            // Not acknowledged by the orderer: the next attempt waits only briefly for its commit status before resending it.
            entry.Status = ReceiptState.Received;
            throw;
        }
        metrics.Phase("submit", Stopwatch.GetElapsedTime(sending));
        entry.Status = ReceiptState.Submitted;
    }

    private async Task<CommitStatusResult?> RecheckAsync(string txId, TimeSpan wait, CancellationToken ct)
    {
        var checking = Stopwatch.GetTimestamp();
        try { return await pipelines.Idempotent.ExecuteAsync(async t => await ledger.GetCommitStatusAsync(Caller, txId, wait, t), ct); }
        finally { metrics.Phase("recheck", Stopwatch.GetElapsedTime(checking)); }
    }

    /// <summary>
    /// How long to wait for a stored transaction's commit status before sending it again: the full commit wait when it
    /// may have reached the orderer (submitted), briefly when its send is known to have failed.
    /// </summary>
    private TimeSpan StatusWait(OutboxEntry entry) => entry.Status == ReceiptState.Submitted ? O.CommitWait : TimeSpan.FromSeconds(Math.Min(5, O.CommitWait.TotalSeconds));

    private async Task<bool> FinishAsync(OutboxEntry entry, PreparedTransaction prepared, CommitStatusResult status, CancellationToken ct)
    {
        var finishing = Stopwatch.GetTimestamp();
        try { return await DecideAsync(entry, prepared, status, ct); }
        finally { metrics.Phase("store-outcome", Stopwatch.GetElapsedTime(finishing)); }
    }

    private async Task<bool> DecideAsync(OutboxEntry entry, PreparedTransaction prepared, CommitStatusResult status, CancellationToken ct)
    {
        switch (status.Outcome)
        {
            case CommitOutcome.Committed:
                var outcome = Encoding.UTF8.GetString(prepared.Result);
                var redemption = JsonSerializer.Deserialize<RedemptionRecord>(outcome, ApiJson.Options);
                if (redemption?.Status == "Rejected")
                    await RejectAsync(entry, redemption.Rejection?.Code ?? "Rejected", redemption.Rejection?.Message ?? "The ledger rejected the receipt.", outcome, ct);
                else
                {
                    if (!await outbox.MarkCommittedAsync(entry.RedemptionId, outcome, clock.GetUtcNow(), ct)) return true; // decided by another run of it
                    metrics.Finished(ReceiptState.Committed);
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
        if (!await outbox.MarkRejectedAsync(entry.RedemptionId, reason, detail, outcome, clock.GetUtcNow(), ct)) return; // decided by another run of it
        metrics.Finished(ReceiptState.Rejected);
        logger.LogInformation("Receipt {RedemptionId} of terminal {TerminalId} rejected: {Reason}", entry.RedemptionId, entry.TerminalId, reason);
    }

    private async Task RetryLaterAsync(OutboxEntry entry, string error, CancellationToken ct)
    {
        var next = clock.GetUtcNow() + Backoff.Delay(entry.Attempts, O.BaseDelay, O.MaxDelay);
        logger.LogWarning("Receipt {RedemptionId}: {Error}; next try at {Next:O}", entry.RedemptionId, error, next);
        await outbox.RecordFailureAsync(entry.RedemptionId, entry.Status, error, next, clock.GetUtcNow(), countAttempt: false, ct);
    }

    /// <summary>A turn at the ledger, entered and left around each ledger step; left at the latest when disposed.</summary>
    private sealed class LedgerTurn(SemaphoreSlim atLedger) : IDisposable
    {
        private bool _held;

        public async Task EnterAsync(CancellationToken ct)
        {
            if (_held) return;
            await atLedger.WaitAsync(ct);
            _held = true;
        }

        public void Leave()
        {
            if (!_held) return;
            _held = false;
            atLedger.Release();
        }

        public void Dispose() => Leave();
    }
}
