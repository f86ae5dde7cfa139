using System.Collections.Concurrent;
using System.Text.Json;
using CashTransfer.Gateway.Options;
using CashTransfer.Reconciliation.Findings;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Reconciliations;

/// <summary>
/// Reconciliation jobs on disk: one folder per job under <c>&lt;data&gt;/reconciliations/</c> holding the uploaded
/// files (<c>payments.csv</c>, <c>journals/&lt;terminalId&gt;.ndjson</c>), <c>job.json</c> and, once done, the three
/// reports. The latest state of running jobs is also kept in memory for progress polls.
/// </summary>
public sealed class ReconciliationJobStore(IOptions<ServiceOptions> options)
{
    private readonly ConcurrentDictionary<string, ReconciliationJob> _live = new(StringComparer.Ordinal);

    public string Root => Path.Combine(options.Value.DataDirectory, "reconciliations");

    public string FolderOf(string id) => Path.Combine(Root, id);
    public string JournalsOf(string id) => Path.Combine(FolderOf(id), "journals");
    public string PaymentsOf(string id) => Path.Combine(FolderOf(id), "payments.csv");

    public async Task SaveAsync(ReconciliationJob job, CancellationToken ct = default)
    {
        _live[job.Id] = job;
        var path = Path.Combine(FolderOf(job.Id), "job.json");
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(job, ReportJson.Options), ct);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Progress only: kept in memory, written to disk at the job's next save.</summary>
    public void Report(ReconciliationJob job) =>
        _live.AddOrUpdate(job.Id, job, (_, current) => current.Status == ReconciliationJobStatus.Running ? job : current);

    public async Task<ReconciliationJob?> FindAsync(string id, CancellationToken ct = default)
    {
        if (_live.TryGetValue(id, out var job)) return job;
        if (!IsJobId(id)) return null;
        var path = Path.Combine(FolderOf(id), "job.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<ReconciliationJob>(await File.ReadAllTextAsync(path, ct), ReportJson.Options) : null;
    }

    /// <summary>Jobs a restart interrupted (queued or running), to run again from the start.</summary>
    public async Task<IReadOnlyList<ReconciliationJob>> ListUnfinishedAsync(CancellationToken ct)
    {
        if (!Directory.Exists(Root)) return [];
        var unfinished = new List<ReconciliationJob>();
        foreach (var folder in Directory.EnumerateDirectories(Root))
            if (await FindAsync(Path.GetFileName(folder), ct) is { Status: ReconciliationJobStatus.Queued or ReconciliationJobStatus.Running } job)
                unfinished.Add(job);
        return unfinished;
    }

    /// <summary>The newest jobs first (by their folder's creation time), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ReconciliationJob>> ListLatestAsync(int limit, CancellationToken ct)
    {
        if (!Directory.Exists(Root)) return [];
        var jobs = new List<ReconciliationJob>();
        foreach (var folder in new DirectoryInfo(Root).EnumerateDirectories().OrderByDescending(d => d.CreationTimeUtc).Take(limit))
            if (await FindAsync(folder.Name, ct) is { } job) jobs.Add(job);
        return jobs;
    }

    /// <summary>Job ids are 32 hex digits (a GUID); anything else never names a folder.</summary>
    public static bool IsJobId(string id) => id.Length == 32 && id.All(Uri.IsHexDigit);
}
