using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CashTransfer.Pos.Journal;
using CashTransfer.Pos.Receipts;
using CashTransfer.Pos.Requests;
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

/// <summary>A receipt's status at the gateway (<c>received</c>, <c>submitted</c>, <c>committed</c>, <c>rejected</c>).</summary>
public sealed record ReceiptOutcome(string RedemptionId, long Sequence, string Status, string? Reason, string? ReasonDetail);

/// <summary>
/// Uploads the journal's batches to the gateway (<c>POST /api/pos/receipt-batches</c>) and retries each, with the same
/// Idempotency-Key, until the gateway acknowledges it; fetches outcomes into the journal. The HttpClient must sign
/// requests (<see cref="SigningHandler"/>).
/// </summary>
public sealed class SyncClient(HttpClient http, OfflineJournal journal, SyncOptions? options = null, TimeProvider? clock = null)
{
    private const string ReplayedType = "urn:cashtransfer:problem:receipt-replayed";
    /// <summary>The first request with this Idempotency-Key is still running, or its service died and its claim has not run out yet.</summary>
    private const string InProgressType = "urn:cashtransfer:problem:idempotency-in-progress";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SyncOptions _options = options ?? new SyncOptions();
    private readonly ResiliencePipeline<HttpResponseMessage> _retry = BuildRetry(options ?? new SyncOptions(), clock);

    /// <summary>Uploads every unacknowledged receipt, batch by batch.</summary>
    /// <exception cref="SyncRefusedException">The gateway refused a batch for a reason that retrying cannot fix.</exception>
    public async Task<SyncResult> SyncAsync(CancellationToken ct = default)
    {
        int batches = 0, receipts = 0;
        while (await journal.NextBatchAsync(_options.MaxBatchReceipts, ct) is { } batch)
        {
            using var response = await _retry.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/pos/receipt-batches")
                {
                    Content = JsonContent.Create(new { terminalId = journal.TerminalId, receipts = batch.Receipts }, options: Json),
                };
                request.Headers.Add(RequestSignature.IdempotencyKeyHeader, batch.IdempotencyKey);
                return await http.SendAsync(request, token);
            }, ct);
            if (!response.IsSuccessStatusCode)
            {
                var problem = await ReadProblemAsync(response, ct);
                // Receipts the gateway already holds (an earlier acknowledgement was lost) count as acknowledged.
                if (!(response.StatusCode == HttpStatusCode.Conflict && problem.Type == ReplayedType))
                    throw new SyncRefusedException(response.StatusCode, problem.Type, problem.Detail ?? response.ReasonPhrase ?? "");
            }
            await journal.AcknowledgeAsync(batch, ct);
            batches++;
            receipts += batch.Receipts.Count;
        }
        return new SyncResult(batches, receipts);
    }

    /// <summary>Fetches the outcomes of acknowledged receipts that are not final yet and stores them in the journal.</summary>
    public async Task<IReadOnlyList<ReceiptOutcome>> FetchOutcomesAsync(CancellationToken ct = default)
    {
        var all = new List<ReceiptOutcome>();
        var from = await journal.FirstUnfinishedSequenceAsync(ct);
        while (from is not null)
        {
            using var response = await _retry.ExecuteAsync(async token => await http.GetAsync($"api/pos/outcomes?fromSequence={from}&limit=500", token), ct);
            response.EnsureSuccessStatusCode();
            var page = await response.Content.ReadFromJsonAsync<List<ReceiptOutcome>>(Json, ct) ?? [];
            foreach (var o in page) await journal.SaveOutcomeAsync(o.RedemptionId, o.Status, o.Reason, ct);
            all.AddRange(page);
            from = page.Count == 500 ? page[^1].Sequence + 1 : null;
        }
        return all;
    }

    private sealed record ProblemBody(string? Type, string? Title, string? Detail);

    private static async Task<ProblemBody> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try { return await response.Content.ReadFromJsonAsync<ProblemBody>(Json, ct) ?? new(null, null, null); }
        catch (JsonException) { return new(null, null, null); }
    }

    private static ResiliencePipeline<HttpResponseMessage> BuildRetry(SyncOptions o, TimeProvider? clock)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (clock is not null) builder.TimeProvider = clock;
        Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>> transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TaskCanceledException>(e => e.InnerException is TimeoutException)
            .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
        return builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            // An upload still in progress (or left behind by a crashed service) is not an answer: ask again, same key.
            ShouldHandle = async args => await transient(args) || (args.Outcome.Result is { StatusCode: HttpStatusCode.Conflict } r
                && (await ReadProblemAsync(r, args.Context.CancellationToken)).Type == InProgressType),
            MaxRetryAttempts = o.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = o.BaseDelay,
            MaxDelay = o.MaxDelay,
            OnRetry = args =>
            {
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        }).Build();
    }
}
