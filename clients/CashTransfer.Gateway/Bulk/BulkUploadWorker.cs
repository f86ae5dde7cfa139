using CashTransfer.Api;
using System.Collections;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Bulk;

/// <summary>
/// Processes bulk entitlement uploads in the background: reads and sorts the rows, then sends them in chunks to
/// <c>Entitlement:IssueEntitlements</c> with the uploading operator's agency identity, and writes one result line
/// per row (<c>row,outcome,message</c>). Rows are issued in beneficiary order (<see cref="UploadWorkOrder"/>), and the
/// result lines, written as chunks finish, are put in row order when the job ends. Several chunks are at the ledger at
/// once (<see cref="BulkOptions.ParallelChunks"/>), each spending its own part of a budget reservation made for the
/// upload (<see cref="UploadReservation"/>) and released at its end; when the budget cannot cover the whole upload they
/// go one after another against the budget. Progress is saved after each chunk; after a restart the job sends the
/// chunks not saved (re-sending a chunk is harmless: the chaincode answers AlreadyIssued). A chunk too large for the
/// network is sent again as two halves; a beneficiary named by an earlier row of the upload is refused.
/// The uploaded file may hold personal data an operator should not have sent (names, phone numbers): it is deleted as
/// soon as its job has finished (completed or failed) and its results are stored, and the results carry only the row
/// number, the outcome and a message that never repeats the row's content. At start, files of finished or unknown jobs
/// and parts of uploads a killed request left are deleted.
/// </summary>
public sealed class BulkUploadWorker(
    BulkJobRepository jobs,
    ILedgerGateway ledger,
    IOptions<ServiceOptions> options,
    ILogger<BulkUploadWorker> logger) : BackgroundService
{
    public const string ResultHeader = "row,outcome,message";
    /// <summary>Suffix of an upload still being received; such a file has no job yet.</summary>
    public const string PartSuffix = ".part";
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    // One job at a time; its chunks, sent side by side, append their results and save the job's progress one at a time.
    private readonly SemaphoreSlim _progress = new(1, 1);

    public void Enqueue(string jobId) => _queue.Writer.TryWrite(jobId);

    private UploadReservation Reservation => new(ledger, options.Value.Bulk.CommitWait, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // the host's start does not wait for a job that is resumed here
        // Several instances may share the database; an upload's file is on the instance that received it.
        var unfinished = (await jobs.ListUnfinishedAsync(stoppingToken)).Where(j => File.Exists(j.UploadPath)).ToList();
        SweepUploads(unfinished);
        foreach (var job in unfinished) Enqueue(job.JobId);
        await foreach (var jobId in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            var job = await jobs.FindAsync(jobId, stoppingToken);
            if (job is null || job.Status is "completed" or "failed") continue;
            try
            {
                await ProcessAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (LedgerException e) when (e.IsTransient)
            {
                logger.LogWarning("Bulk job {JobId} paused after {Processed} rows: {Error}; retrying", job.JobId, job.ProcessedRows, e.Message);
                _ = RequeueLaterAsync(job.JobId, stoppingToken);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Bulk job {JobId} failed", job.JobId);
                await SortResultsOfFailedJobAsync(job);
                await ReleaseReservationOfFailedJobAsync(job);
                job.Status = "failed";
                job.Error = e.Message;
                await jobs.SaveProgressAsync(job, CancellationToken.None);
                DeleteUpload(job);
            }
        }
    }

    private async Task RequeueLaterAsync(string jobId, CancellationToken ct)
    {
        try { await Task.Delay(options.Value.Submitter.BreakerBreakDuration, ct); }
        catch (OperationCanceledException) { return; }
        Enqueue(jobId);
    }

    public async Task ProcessAsync(BulkJob job, CancellationToken ct)
    {
        var o = options.Value.Bulk;
        var resumed = job.Status == "running";
        var (order, total) = await UploadWorkOrder.ReadAsync(job.UploadPath, job.Format, o.MaxRows, ct);
        if (job.Status == "queued")
        {
            job.TotalRows = total;
            job.Status = "running";
            if (order is null)
            {
                job.Status = "failed";
                job.Error = $"The upload has {total} rows; at most {o.MaxRows} are accepted.";
            }
            await jobs.SaveProgressAsync(job, ct);
            if (job.Status == "failed")
            {
                DeleteUpload(job);
                return;
            }
        }
        var processed = await TruncateResultsAsync(job, ct);

        var caller = LedgerCaller.For(ClientRole.Operator, job.AgencyMsp);
        var chunks = new UploadChunks(order ?? throw new InvalidDataException($"The upload of job {job.JobId} has {total} rows; at most {o.MaxRows} are accepted."), processed, o.ChunkSize);
        var pending = chunks.Pending();
        var reservation = Reservation;
        var reserved = o.ParallelChunks > 1 && pending.Count > 1 && await reservation.TryReserveAsync(job, caller, chunks, ct);
        if (reserved)
        {
            logger.LogInformation("Bulk job {JobId}: {Chunks} chunks on a budget reservation, {Parallel} at a time", job.JobId, pending.Count, o.ParallelChunks);
            await SendSideBySideAsync(job, caller, chunks, pending, o.ParallelChunks, ct);
        }
        else
            foreach (var chunk in pending) await SendChunkAsync(job, caller, chunks.RowsOf(chunk), null, ct);
        // A job that resumes may hold a reservation from before the restart, even if it has nothing left to send.
        if (reserved || (resumed && o.ParallelChunks > 1)) await reservation.ReleaseAsync(job, caller, ct);
        await SortResultsByRowAsync(job, ct);
        job.Status = "completed";
        await jobs.SaveProgressAsync(job, ct);
        DeleteUpload(job);
        logger.LogInformation("Bulk job {JobId} completed: {Issued} issued, {Failed} not issued of {Total}", job.JobId, job.IssuedRows, job.FailedRows, job.TotalRows);
    }

    /// <summary>
    /// Sends up to <paramref name="parallel"/> chunks at once, each spending its own part of the upload's reservation. The
    /// first failure stops the others; the job then resumes from the chunks whose results were saved.
    /// </summary>
    private async Task SendSideBySideAsync(BulkJob job, LedgerCaller caller, UploadChunks chunks, List<int> pending, int parallel, CancellationToken ct)
    {
        var sending = Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct },
            async (chunk, token) => await SendChunkAsync(job, caller, chunks.RowsOf(chunk), new ReservationPart(job.JobId, chunk), token));
        try
        {
            await sending;
        }
        catch when (sending.Exception?.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) is { } cause)
        {
            ExceptionDispatchInfo.Throw(cause); // the failure, not a sibling's cancellation
        }
    }

    private async Task SendChunkAsync(BulkJob job, LedgerCaller caller, List<(GrantRow Row, string? Problem)> chunk, ReservationPart? part, CancellationToken ct)
    {
        var results = chunk.Where(c => c.Problem is not null).ToDictionary(c => c.Row.Row, c => (Outcome: "Invalid", Message: c.Problem!));
        var valid = chunk.Where(c => c.Problem is null).Select(c => c.Row).ToList();
        if (valid.Count > 0) await IssueAsync(job, caller, valid, part, results, ct);
        var lines = new StringBuilder();
        await _progress.WaitAsync(CancellationToken.None);
        try
        {
            foreach (var (row, _) in chunk)
            {
                var (outcome, message) = results.TryGetValue(row.Row, out var r) ? r : ("Unknown", "");
                lines.Append(row.Row.ToString(CultureInfo.InvariantCulture)).Append(',').Append(outcome).Append(',').Append(Csv(message)).Append('\n');
                if (outcome is "Issued" or "AlreadyIssued") job.IssuedRows++;
                else job.FailedRows++;
            }
            await using (var file = new FileStream(job.ResultPath, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                await file.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()), CancellationToken.None); // a chunk's lines go in whole
                file.Flush(flushToDisk: true);
            }
            job.ProcessedRows += chunk.Count;
            await jobs.SaveProgressAsync(job, CancellationToken.None); // the chunk is done: a sibling's failure must not lose that
        }
        finally
        {
            _progress.Release();
        }
    }

    /// <summary>
    /// Issues the rows in one transaction. One too large for the network (a gRPC message limit, or the channel's
    /// AbsoluteMaxBytes) wrote nothing, so its rows are sent again as two halves; a chunk size that is too large for a
    /// network thus costs a retry, not a job stuck retrying the same refused transaction.
    /// </summary>
    private async Task IssueAsync(BulkJob job, LedgerCaller caller, List<GrantRow> rows, ReservationPart? part, Dictionary<long, (string Outcome, string Message)> results, CancellationToken ct)
    {
        var batch = new EntitlementBatch(job.ProgrammeId, job.Cycle, rows.Select(v => new EntitlementGrant(v.BeneficiaryHash!, v.AmountMinor)).ToList(), Reservation: part);
        try
        {
            var bytes = await ledger.SubmitAndWaitAsync(caller, ChaincodeFunctions.IssueEntitlements, [ChaincodeArguments.Json(batch)], options.Value.Bulk.CommitWait, ct);
            var issued = JsonSerializer.Deserialize<IssueResultRecord>(bytes, ApiJson.Options)!;
            foreach (var r in issued.Rows) results[rows[r.Row].Row] = (r.Outcome, "");
        }
        catch (LedgerTransactionTooLargeException e) when (rows.Count > 1)
        {
            logger.LogWarning("Bulk job {JobId}: rows {First}-{Last} are too large for one transaction ({Error}); sending them as two halves. A smaller CashTransfer:Bulk:ChunkSize avoids this retry",
                job.JobId, rows[0].Row, rows[^1].Row, e.Message);
            var half = rows.Count / 2;
            await IssueAsync(job, caller, rows.GetRange(0, half), part, results, ct);
            await IssueAsync(job, caller, rows.GetRange(half, rows.Count - half), part, results, ct);
        }
        catch (LedgerTransactionTooLargeException)
        {
            results[rows[0].Row] = ("Refused", "The ledger refused this row: alone it is larger than the network takes in one transaction.");
        }
        catch (ChaincodeRejectedException e)
        {
            // The ledger's message may quote what it was sent; the results file says only which rows and why in general.
            logger.LogWarning("Bulk job {JobId}: the ledger refused rows {First}-{Last} with status {Status}", job.JobId, rows[0].Row, rows[^1].Row, e.Status);
            foreach (var v in rows) results[v.Row] = ("Refused", $"The ledger refused this chunk of rows (status {e.Status}).");
        }
    }

    /// <summary>
    /// Keeps the header and the lines of rows already counted as processed (a crash may have left more), and returns
    /// which rows those are.
    /// </summary>
    private static async Task<BitArray> TruncateResultsAsync(BulkJob job, CancellationToken ct)
    {
        var kept = File.Exists(job.ResultPath)
            ? (await File.ReadAllLinesAsync(job.ResultPath, ct)).Skip(1).Take((int)job.ProcessedRows).ToArray()
            : [];
        if (kept.Length < job.ProcessedRows)
            throw new InvalidDataException($"The result file of job {job.JobId} has {kept.Length} rows but {job.ProcessedRows} were processed.");
        var processed = new BitArray((int)job.TotalRows);
        foreach (var line in kept) processed[(int)RowOf(line)] = true;
        await ReplaceResultsAsync(job, kept);
        return processed;
    }

    private static long RowOf(string resultLine) => long.Parse(resultLine.AsSpan(0, resultLine.IndexOf(',')), CultureInfo.InvariantCulture);

    /// <summary>
    /// Puts the result lines in row order once every row is processed (they are written in the order rows are issued,
    /// by beneficiary); running it again on sorted lines changes nothing.
    /// </summary>
    private static async Task SortResultsByRowAsync(BulkJob job, CancellationToken ct)
    {
        var lines = (await File.ReadAllLinesAsync(job.ResultPath, ct)).Skip(1).ToArray();
        Array.Sort(lines.Select(RowOf).ToArray(), lines);
        await ReplaceResultsAsync(job, lines);
    }

    /// <summary>
    /// Writes the header and these lines to a temporary file and moves it into place, so that a stop or crash in the
    /// middle never leaves a cut-short result file. Line by line: a million lines built into one string would double the
    /// job's memory for a moment.
    /// </summary>
    private static async Task ReplaceResultsAsync(BulkJob job, IReadOnlyList<string> lines)
    {
        var temporary = job.ResultPath + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            await using (var writer = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true) { NewLine = "\n" })
            {
                await writer.WriteLineAsync(ResultHeader);
                foreach (var line in lines) await writer.WriteLineAsync(line);
            }
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, job.ResultPath, overwrite: true);
    }

    private async Task ReleaseReservationOfFailedJobAsync(BulkJob job)
    {
        if (options.Value.Bulk.ParallelChunks == 1) return;
        try
        {
            await Reservation.ReleaseAsync(job, LedgerCaller.For(ClientRole.Operator, job.AgencyMsp), CancellationToken.None);
        }
        catch (LedgerException e)
        {
            logger.LogWarning("Bulk job {JobId} failed and its budget reservation, if it made one, could not be released ({Error}); what it did not issue stays reserved", job.JobId, e.Message);
        }
    }

    private async Task SortResultsOfFailedJobAsync(BulkJob job)
    {
        try
        {
            if (File.Exists(job.ResultPath)) await SortResultsByRowAsync(job, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            logger.LogWarning("The results of failed bulk job {JobId} stay in the order they were written ({Error})", job.JobId, e.Message);
        }
    }

    /// <summary>Deletes a finished job's upload: its results are stored, and it may hold personal data.</summary>
    private void DeleteUpload(BulkJob job)
    {
        try
        {
            File.Delete(job.UploadPath);
        }
        catch (IOException e)
        {
            logger.LogWarning("Could not delete the upload of finished bulk job {JobId} ({Error}); it is deleted at the next start", job.JobId, e.Message);
        }
    }

    /// <summary>
    /// Deletes every file in the uploads folder that is neither the upload of an unfinished job nor a results file: uploads
    /// of finished jobs (kept by earlier versions), parts of uploads a killed request left, half-written results.
    /// </summary>
    private void SweepUploads(IReadOnlyList<BulkJob> unfinished)
    {
        var folder = Path.Combine(options.Value.DataDirectory, "uploads");
        if (!Directory.Exists(folder)) return;
        var keep = unfinished.Select(j => Path.GetFullPath(j.UploadPath)).ToHashSet(StringComparer.Ordinal);
        var deleted = 0;
        foreach (var file in Directory.GetFiles(folder))
        {
            if (file.EndsWith(".results.csv", StringComparison.Ordinal) || keep.Contains(Path.GetFullPath(file))) continue;
            File.Delete(file);
            deleted++;
        }
        if (deleted > 0) logger.LogInformation("Deleted {Count} uploaded files of finished or abandoned uploads", deleted);
    }

    private static string Csv(string value) => value.Contains(',') || value.Contains('"') || value.Contains('\n')
        ? "\"" + value.Replace("\"", "\"\"").Replace('\n', ' ') + "\""
        : value;
}
