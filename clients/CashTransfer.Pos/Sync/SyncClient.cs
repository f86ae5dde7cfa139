using System.Net;
using CashTransfer.Api;
using CashTransfer.Api.Client;
using CashTransfer.Pos.Journal;
using Polly;
using Polly.Retry;

namespace CashTransfer.Pos.Sync;

/// <summary>How the sync client retries: exponential backoff with jitter, without limit by default (until acknowledged or cancelled).</summary>
public sealed class SyncOptions
{
    public int MaxBatchReceipts { get; set; } = 500;
    public int MaxRetryAttempts { get; set; } = int.MaxValue;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>The gateway refused a batch (a gap, a fork, a bad signature): retrying will not help; the terminal needs attention.</summary>
public sealed class SyncRefusedException(HttpStatusCode status, string? problemType, string detail) : Exception($"The gateway refused the batch ({(int)status} {problemType}): {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public string? ProblemType { get; } = problemType;
}

/// <summary>What one sync did.</summary>
public sealed record SyncResult(int BatchesAcknowledged, int ReceiptsAcknowledged);

/// <summary>
/// Uploads the journal's batches to the gateway (<c>POST /api/pos/receipt-batches</c>) and retries each, with the same
/// Idempotency-Key, until the gateway acknowledges it; fetches outcomes into the journal. Calls go through the
/// terminal's <see cref="CashTransferClient"/> (signed with the terminal's key); its own few retries sit inside the
/// retries here, which go on until the batch is acknowledged.
/// </summary>
public sealed class SyncClient(CashTransferClient api, OfflineJournal journal, SyncOptions? options = null, TimeProvider? clock = null)
{
    private readonly SyncOptions _options = options ?? new SyncOptions();
    private readonly ResiliencePipeline _retry = BuildRetry(options ?? new SyncOptions(), clock);

    /// <summary>Uploads every unacknowledged receipt, batch by batch.</summary>
    /// <exception cref="SyncRefusedException">The gateway refused a batch for a reason that retrying cannot fix.</exception>
    public async Task<SyncResult> SyncAsync(CancellationToken ct = default)
    {
        int batches = 0, receipts = 0;
        while (await journal.NextBatchAsync(_options.MaxBatchReceipts, ct) is { } batch)
        {
            try
            {
                await _retry.ExecuteAsync(async token =>
                    await api.Pos.UploadReceiptBatchAsync(new ReceiptBatch(journal.TerminalId, batch.Receipts), batch.IdempotencyKey, token), ct);
            }
            // Receipts the gateway already holds (an earlier acknowledgement was lost) count as acknowledged.
            catch (ConflictException e) when (e.ProblemType == ProblemTypes.ReceiptReplayed)
            {
            }
            catch (ServiceProblemException e)
            {
                throw new SyncRefusedException(e.Status, e.ProblemType, e.Detail);
            }
            await journal.AcknowledgeAsync(batch, ct);
            batches++;
            receipts += batch.Receipts.Count;
        }
        return new SyncResult(batches, receipts);
    }

    /// <summary>Fetches the outcomes of acknowledged receipts that are not final yet and stores them in the journal.</summary>
    public async Task<IReadOnlyList<ReceiptOutcomeDto>> FetchOutcomesAsync(CancellationToken ct = default)
    {
        var all = new List<ReceiptOutcomeDto>();
        var from = await journal.FirstUnfinishedSequenceAsync(ct);
        while (from is not null)
        {
            var page = await _retry.ExecuteAsync(async token => await api.Pos.ListOutcomesAsync(from.Value, 500, token), ct);
            foreach (var o in page) await journal.SaveOutcomeAsync(o.RedemptionId, o.Status, o.Reason, ct);
            all.AddRange(page);
            from = page.Count == 500 ? page[^1].Sequence + 1 : null;
        }
        return all;
    }

    /// <summary>Retries what the client could not get through (no answer, or the service or ledger unavailable); never a refusal.</summary>
    private static ResiliencePipeline BuildRetry(SyncOptions o, TimeProvider? clock)
    {
        var builder = new ResiliencePipelineBuilder();
        if (clock is not null) builder.TimeProvider = clock;
        return builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<CashTransferApiException>(e => e.IsTransient),
            MaxRetryAttempts = o.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = o.BaseDelay,
            MaxDelay = o.MaxDelay,
        }).Build();
    }
}
