using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Submission;

/// <summary>
/// Works through the outbox, each receipt by <see cref="ReceiptSubmission"/>.
/// <para>
/// Scheduling is continuous: up to <see cref="SubmitterOptions.Concurrency"/> terminals are worked on at once, each
/// by one worker that decides its claimed receipts strictly in journal order. As soon as a worker is done, its slot
/// is given to the terminal that has waited longest, so one slow terminal holds back only its own receipts.
/// </para>
/// </summary>
public sealed class OutboxSubmitter(
    OutboxRepository outbox,
    ReceiptSubmission submission,
    LedgerPipelines pipelines,
    IOptions<ServiceOptions> options,
    TimeProvider clock,
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
        var held = new HeldLease(receipts[0].LeaseUntil);
        using var working = new CancellationTokenSource();
        var heartbeat = RenewWhileWorkingAsync(receipts, () => Volatile.Read(ref settled), held, working.Token);
        try
        {
            foreach (var entry in receipts)
            {
                if (!await submission.AdvanceAsync(entry, ct)) break; // the rest wait until this one is settled
                Interlocked.Increment(ref settled);
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
            await working.CancelAsync();
            await heartbeat;
            // On a stop or a failure the unsettled receipts are handed back at once; after a crash their lease simply runs out.
            var unsettled = receipts.Skip(settled).Select(e => e.RedemptionId).ToList();
            try
            {
                if (unsettled.Count > 0) await outbox.ReleaseLeasesAsync(unsettled, held.Until, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not hand back the leases of terminal {TerminalId}'s receipts; they run out instead", receipts[0].TerminalId);
            }
            Wake();
        }
    }

    /// <summary>The lease value this worker holds its receipts with; renewed while it works.</summary>
    private sealed class HeldLease(long until)
    {
        public long Until = until;
    }

    /// <summary>
    /// Renews the lease of the receipts not yet settled every third of <see cref="SubmitterOptions.Lease"/>, so that a
    /// slow ledger (a long commit wait) never lets another instance take over receipts this one still works on, while
    /// a killed instance's leases run out within one lease.
    /// </summary>
    private async Task RenewWhileWorkingAsync(IReadOnlyList<OutboxEntry> receipts, Func<int> settled, HeldLease held, CancellationToken done)
    {
        using var timer = new PeriodicTimer(O.Lease / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                var unsettled = receipts.Skip(settled()).Select(e => e.RedemptionId).ToList();
                if (unsettled.Count == 0) return;
                var renewed = (clock.GetUtcNow() + O.Lease).ToUnixTimeMilliseconds();
                try
                {
                    if (await outbox.RenewLeasesAsync(unsettled, held.Until, renewed, done) > 0) held.Until = renewed;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Renewing the leases of terminal {TerminalId}'s receipts failed; trying again", receipts[0].TerminalId);
                }
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
    }
}
