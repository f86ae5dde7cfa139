using System.Threading.Channels;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using CashTransfer.Reconciliation;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Reports;
using CashTransfer.Reconciliation.Sources;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Reconciliations;

/// <summary>
/// Runs reconciliation jobs one at a time in the background: the ledger through the chaincode's queries with the
/// requesting auditor's agency identity, the receipts the service received plus the uploaded journal files, and the
/// uploaded payment statement; writes the three reports into the job's folder. A job a restart interrupted runs again.
/// </summary>
public sealed class ReconciliationWorker(
    ReconciliationJobStore jobs,
    ILedgerGateway ledger,
    IDatabase database,
    OutboxResubmitter resubmitter,
    IOptions<ServiceOptions> options,
    TimeProvider clock,
    ILogger<ReconciliationWorker> logger) : BackgroundService
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();

    public void Enqueue(string jobId) => _queue.Writer.TryWrite(jobId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var job in await jobs.ListUnfinishedAsync(stoppingToken)) Enqueue(job.Id);
        await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            var job = await jobs.FindAsync(id, stoppingToken);
            if (job is null || job.Status is ReconciliationJobStatus.Completed or ReconciliationJobStatus.Failed) continue;
            try
            {
                await RunAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Bad input (a wrong CSV header) or the ledger unreachable: the job says why; the service goes on.
                logger.LogWarning("Reconciliation {JobId} failed: {Error}", id, e.Message);
                await jobs.SaveAsync(job with { Status = ReconciliationJobStatus.Failed, Error = e.Message, FinishedAt = clock.GetUtcNow() }, CancellationToken.None);
            }
        }
    }

    private async Task RunAsync(ReconciliationJob job, CancellationToken ct)
    {
        var request = job.Request;
        var running = job with { Status = ReconciliationJobStatus.Running, Stage = "starting", Rows = 0 };
        await jobs.SaveAsync(running, ct);
        var journals = new List<IJournalSource> { new OutboxJournalSource(database) };
        journals.AddRange(request.Journals.Select(name => JournalFile.FromPath(Path.Combine(jobs.JournalsOf(job.Id), name))));
        var inputs = new ReconciliationInputs(
            new LedgerQuerySource(ledger, LedgerCaller.For(ClientRole.Auditor, request.RequestedBy)),
            journals,
            request.HasPayments ? PaymentStatement.FromPath(jobs.PaymentsOf(job.Id)) : null,
            request.Resubmit ? resubmitter : null);
        var progress = new InlineProgress(p => jobs.Report(running with { Stage = p.Stage, Rows = p.Rows }));
        var work = Path.Combine(options.Value.DataDirectory, "reconciliations", "work");
        using var result = await new ReconciliationEngine(new ReconciliationOptions(work)).RunAsync(request.Scope, inputs, progress, ct);
        await ReportFiles.WriteAsync(result, jobs.FolderOf(job.Id), ReportFiles.Formats, ct);
        await jobs.SaveAsync(running with
        {
            Status = ReconciliationJobStatus.Completed, Stage = "done", Rows = result.Counts.LedgerRedemptions, Counts = result.Counts,
            NeedsAction = result.NeedsAction, FinishedAt = clock.GetUtcNow(),
        }, ct);
        logger.LogInformation("Reconciliation {JobId} done: {Findings} findings, {Action} needing action", job.Id, result.Counts.Findings, result.Counts.FindingsNeedingAction);
    }

    /// <summary>Reports on the engine's thread (Progress&lt;T&gt; would post to the thread pool, and a late report could overwrite the finished state).</summary>
    private sealed class InlineProgress(Action<ReconciliationProgress> report) : IProgress<ReconciliationProgress>
    {
        public void Report(ReconciliationProgress value) => report(value);
    }
}
