using System.Collections.Concurrent;
using CashTransfer.Api;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Submission;

/// <summary>
/// Works through the outbox, each receipt by <see cref="ReceiptSubmission"/>.
/// <para>
/// Receipts are pipelined: this instance holds up to <see cref="SubmitterOptions.BatchSize"/> claimed receipts and
/// has up to <see cref="SubmitterOptions.Concurrency"/> of them at the ledger at once (endorsing, submitting or waiting
/// for their commit). Only receipts that compete on the ledger (<see cref="ReceiptOrder"/>: the same beneficiary or
/// redemption id) wait for each other, in journal order; a receipt that is not decided makes the later competing
/// ones wait for its retry. Claims are leases renewed while the work goes on; after a crash they run out and
/// another instance (or this one, restarted) takes the receipts over, their stored transactions checked first.
/// </para>
/// </summary>
public sealed class OutboxSubmitter(
    OutboxRepository outbox,
    ReceiptSubmission submission,
    LedgerPipelines pipelines,
    IOptions<ServiceOptions> options,
    TimeProvider clock,
    GatewayMetrics metrics,
    ILogger<OutboxSubmitter> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    // One claim at a time, so that a receipt is never started twice here.
    private readonly SemaphoreSlim _claiming = new(1);
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly ReceiptOrder _order = new();
    private SemaphoreSlim? _atLedger;
    // The last claim took everything that was ready. A receipt decided here frees room but makes no other receipt
    // ready, so its end does not start a claim; arrivals, receipts handed back and the poll do.
    private volatile bool _nothingMoreReady;

    /// <summary>Names this instance's leases in the outbox (several instances may share one database).</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private SubmitterOptions O => options.Value.Submitter;

    private SemaphoreSlim AtLedger => LazyInitializer.EnsureInitialized(ref _atLedger, () => new SemaphoreSlim(Math.Max(1, O.Concurrency)));

    /// <summary>A receipt this instance works on, and the task that decides it.</summary>
    private sealed record Held(OutboxEntry Entry, Task<bool> Run);

    /// <summary>Asks the submitter to look at the outbox now rather than at its next poll.</summary>
    public void Wake()
    {
        _nothingMoreReady = false;
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!O.Enabled) return;
        logger.LogInformation("Outbox submitter {Owner} started", Owner);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = RenewWhileWorkingAsync(renewing.Token);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ClaimAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Claiming outbox receipts failed; retrying");
            }
            // The next claim comes when receipts are decided, a batch arrives, or the poll interval has passed.
            try { await _wake.WaitAsync(O.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
        // Each receipt sees the stop, and hands back its lease if it is not decided.
        await Task.WhenAll(_held.Values.Select(h => h.Run));
        await renewing.CancelAsync();
        await heartbeat;
        logger.LogInformation("Outbox submitter stopped; unfinished receipts stay in the outbox");
    }

    /// <summary>
    /// Claims due receipts and waits until they are decided or passed over. Returns how many it claimed. For tests and
    /// tools that drive the submitter step by step; the service claims continuously.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var started = await ClaimAsync(ct);
        await Task.WhenAll(started);
        return started.Count;
    }

    /// <summary>
    /// Claims receipts while fewer than <see cref="SubmitterOptions.BatchSize"/> are held (in a quarter of it at least,
    /// so that a large backlog is not claimed one receipt at a time), and starts each in <see cref="ReceiptOrder"/>.
    /// </summary>
    private async Task<List<Task<bool>>> ClaimAsync(CancellationToken ct)
    {
        var started = new List<Task<bool>>();
        if (pipelines.LedgerUnreachable) return started;
        await _claiming.WaitAsync(ct);
        try
        {
            var batch = Math.Max(1, O.BatchSize);
            var room = batch - _held.Count;
            if (room <= 0 || (room < batch / 4 && !_held.IsEmpty)) return started;
            var busy = _held.Values.Select(h => h.Entry.TerminalId).ToHashSet(StringComparer.Ordinal);
            var claimed = await outbox.ClaimDueAsync(clock.GetUtcNow(), O.Lease, room, Owner, busy, ct);
            _nothingMoreReady = claimed.Count < room;
            metrics.Claimed(claimed.Count);
            foreach (var entry in claimed) // terminal by terminal, each in journal order
                started.Add(Start(entry, ct));
            return started;
        }
        finally
        {
            _claiming.Release();
        }
    }

    private Task<bool> Start(OutboxEntry entry, CancellationToken ct)
    {
        // Claimed again while still held: its lease ran out meanwhile. The new run follows the old one (they share the
        // redemption id) and reads the receipt afresh, so that it continues from what the old run stored.
        var again = _held.TryGetValue(entry.RedemptionId, out var earlier);
        var run = _order.Add(ReceiptOrder.KeysOf(entry),
            () => DecideAsync(entry, reread: again, ct),
            () => HandBackAsync(entry, "an earlier competing receipt is not decided yet"));
        _held[entry.RedemptionId] = new Held(entry, run);
        _ = run.ContinueWith(ended =>
        {
            // Only this run's own record: a newer run of the same receipt keeps its place.
            if (_held.TryGetValue(entry.RedemptionId, out var held) && held.Run == run) _held.TryRemove(KeyValuePair.Create(entry.RedemptionId, held));
            // In the gateway benchmark's backlog, claims started by decided receipts found nothing 1,371 times out of
            // 1,406, each a 4 ms query holding SQLite's write lock while other writers polled for it.
            var decided = ended.IsCompletedSuccessfully && ended.Result;
            if (!decided || !_nothingMoreReady) Wake();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return run;
    }

    /// <summary>Takes the receipt to its final status if it can; true when it is decided (committed or rejected).</summary>
    private async Task<bool> DecideAsync(OutboxEntry entry, bool reread, CancellationToken ct)
    {
        try
        {
            if (reread)
            {
                var current = await outbox.FindAsync(entry.RedemptionId, ct);
                if (current is null || !ReceiptLifecycle.IsOpen(current.Status)) return true;
                entry = current;
            }
            if (await submission.AdvanceAsync(entry, AtLedger, ct)) return true;
            // Not decided: AdvanceAsync recorded when to try again and freed the lease, or the stop is handing it back.
            if (ct.IsCancellationRequested) await HandBackAsync(entry, "the submitter is stopping");
            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await HandBackAsync(entry, "the submitter is stopping");
            return false;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Working on receipt {RedemptionId} of terminal {TerminalId} failed; retrying", entry.RedemptionId, entry.TerminalId);
            // A fault that persists (e.g. the database) should not turn into a tight loop of claims.
            try { await Task.Delay(O.PollInterval, ct); }
            catch (OperationCanceledException) { }
            await HandBackAsync(entry, "working on it failed");
            return false;
        }
    }

    /// <summary>Gives the lease back at once; after a crash it simply runs out.</summary>
    private async Task HandBackAsync(OutboxEntry entry, string why)
    {
        try
        {
            await outbox.ReleaseLeasesAsync(Owner, [entry.RedemptionId], CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not hand back the lease of receipt {RedemptionId} ({Why}); it runs out instead", entry.RedemptionId, why);
        }
    }

    /// <summary>
    /// Renews the leases of the receipts held here every third of <see cref="SubmitterOptions.Lease"/>, so that a slow
    /// ledger (a long commit wait) never lets another instance take over receipts this one still works on, while a
    /// killed instance's leases run out within one lease.
    /// </summary>
    private async Task RenewWhileWorkingAsync(CancellationToken done)
    {
        using var timer = new PeriodicTimer(O.Lease / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                var held = _held.Keys.ToList();
                if (held.Count == 0) continue;
                try
                {
                    await outbox.RenewLeasesAsync(Owner, held, (clock.GetUtcNow() + O.Lease).ToUnixTimeMilliseconds(), done);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Renewing the leases of {Count} receipts failed; trying again", held.Count);
                }
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
    }
}
