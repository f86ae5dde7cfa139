using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Gateway.Reconciliations;

/// <summary>What an auditor asked to reconcile: the scope, whether to resubmit lost receipts, and the files uploaded with it.</summary>
public sealed record ReconciliationRequest(
    DateTimeOffset From,
    DateTimeOffset To,
    string? RetailerId,
    string? ProgrammeId,
    string? AgencyMsp,
    DateTimeOffset? PayableCutOff,
    bool Resubmit,
    string RequestedBy,
    bool HasPayments,
    IReadOnlyList<string> Journals)
{
    public ReconciliationScope Scope => new(From, To, RetailerId, ProgrammeId, AgencyMsp, PayableCutOff);
}

/// <summary>Where a reconciliation job stands.</summary>
public static class ReconciliationJobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>
/// A reconciliation job as the service keeps it (job.json in the job's folder) and as
/// <c>GET /api/audit/reconciliations/{id}</c> shows it: progress while it runs, the counts and report links when done.
/// </summary>
public sealed record ReconciliationJob(
    string Id,
    ReconciliationRequest Request,
    string Status,
    string? Stage,
    long Rows,
    string? Error,
    ReconciliationCounts? Counts,
    bool? NeedsAction,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>The report files under <c>/api/audit/reconciliations/{id}/</c> once the job completed.</summary>
    public IReadOnlyList<string> Reports => Status == ReconciliationJobStatus.Completed
        ? CashTransfer.Reconciliation.Reports.ReportFiles.Formats.Select(f => $"/api/audit/reconciliations/{Id}/{CashTransfer.Reconciliation.Reports.ReportFiles.FileNameOf(f)}").ToList()
        : [];
}
