using Dapper;

namespace CashTransfer.Gateway.Storage;

/// <summary>The state of a bulk entitlement upload: queued, running, completed or failed, with row counts.</summary>
public sealed class BulkJob
{
    public string JobId { get; set; } = "";
    public string AgencyMsp { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string Cycle { get; set; } = "";
    /// <summary><c>csv</c> or <c>json</c>.</summary>
    public string Format { get; set; } = "";
    public string UploadPath { get; set; } = "";
    public string ResultPath { get; set; } = "";
    public string Status { get; set; } = "queued";
    public long TotalRows { get; set; }
    public long ProcessedRows { get; set; }
    public long IssuedRows { get; set; }
    public long FailedRows { get; set; }
    public string? Error { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>Bulk upload jobs; progress is saved after every chunk so that a restarted worker continues where it stopped.</summary>
public sealed class BulkJobRepository(IDatabase database)
{
    private const string Columns = "job_id AS JobId, agency_msp AS AgencyMsp, programme_id AS ProgrammeId, cycle AS Cycle, format AS Format, " +
        "upload_path AS UploadPath, result_path AS ResultPath, status AS Status, total_rows AS TotalRows, processed_rows AS ProcessedRows, " +
        "issued_rows AS IssuedRows, failed_rows AS FailedRows, error AS Error, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public async Task InsertAsync(BulkJob job, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO bulk_jobs (job_id, agency_msp, programme_id, cycle, format, upload_path, result_path, status, total_rows, processed_rows, issued_rows, failed_rows, error, created_at, updated_at) " +
            "VALUES (@JobId, @AgencyMsp, @ProgrammeId, @Cycle, @Format, @UploadPath, @ResultPath, @Status, @TotalRows, @ProcessedRows, @IssuedRows, @FailedRows, @Error, @CreatedAt, @UpdatedAt)", job);
    }

    public async Task<BulkJob?> FindAsync(string jobId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<BulkJob>($"SELECT {Columns} FROM bulk_jobs WHERE job_id = @jobId", new { jobId });
    }

    public async Task<IReadOnlyList<BulkJob>> ListUnfinishedAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<BulkJob>($"SELECT {Columns} FROM bulk_jobs WHERE status IN ('queued', 'running') ORDER BY created_at")).AsList();
    }

    public async Task SaveProgressAsync(BulkJob job, CancellationToken ct = default)
    {
        job.UpdatedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "UPDATE bulk_jobs SET status = @Status, total_rows = @TotalRows, processed_rows = @ProcessedRows, issued_rows = @IssuedRows, failed_rows = @FailedRows, " +
            "error = @Error, updated_at = @UpdatedAt WHERE job_id = @JobId", job);
    }
}
