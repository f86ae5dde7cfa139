using System.Net.Http.Headers;
using System.Text.Json;
using CashTransfer.Api.Client;

namespace CashTransfer.Cli.Audit;

/// <summary>What a reconciliation covers and which files go with it, as the CLI sends it to the service.</summary>
public sealed record ReconciliationOrder(
    DateTimeOffset From,
    DateTimeOffset To,
    string? RetailerId = null,
    string? ProgrammeId = null,
    string? AgencyMsp = null,
    DateTimeOffset? PayableCutOff = null,
    bool Resubmit = false,
    string? PaymentsFile = null,
    IReadOnlyList<string>? JournalFiles = null);

/// <summary>The service's answer about a job: status, stage and rows while it runs; counts once done.</summary>
public sealed record ReconciliationJobView(string Id, string Status, string? Stage, long Rows, string? Error, JsonElement? Counts, bool? NeedsAction);

/// <summary>The service refused the request or the job failed: the message to show (exit code 2).</summary>
public sealed class ReconciliationFailedException(string message) : Exception(message);

/// <summary>
/// An auditor's reconciliation through the service: start the job (multipart upload of the payment statement and
/// journal files, streamed from disk), poll its progress, download its reports.
/// </summary>
public sealed class ReconciliationClient(CashTransferClient auditor)
{
    public async Task<ReconciliationJobView> StartAsync(ReconciliationOrder order, CancellationToken ct)
    {
        var streams = new List<Stream>();
        try
        {
            // The form is made afresh for each attempt of the client's retries (file streams are read once).
            var started = await auditor.SendAsync<ReconciliationJobView>(HttpMethod.Post, "api/audit/reconciliations", () => Form(order, streams),
                $"reconcile/{Guid.NewGuid():N}", ct);
            return started.Value;
        }
        catch (ServiceProblemException e)
        {
            throw new ReconciliationFailedException($"The service refused the reconciliation ({(int)e.Status}): {e.Detail}");
        }
        finally
        {
            foreach (var s in streams) await s.DisposeAsync();
        }
    }

    public Task<ReconciliationJobView> GetAsync(string id, CancellationToken ct) => auditor.GetAsync<ReconciliationJobView>($"api/audit/reconciliations/{id}", ct);

    /// <summary>Polls until the job completed (or throws with its error when it failed), reporting each state seen.</summary>
    public async Task<ReconciliationJobView> WaitAsync(string id, Action<ReconciliationJobView> onProgress, CancellationToken ct)
    {
        while (true)
        {
            var job = await GetAsync(id, ct);
            onProgress(job);
            if (job.Status == "completed") return job;
            if (job.Status == "failed") throw new ReconciliationFailedException($"The reconciliation could not run: {job.Error}");
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
        }
    }

    /// <summary>Downloads one report file into <paramref name="directory"/>.</summary>
    public async Task<string> DownloadAsync(string id, string fileName, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        using var response = await auditor.SendRawAsync(HttpMethod.Get, $"api/audit/reconciliations/{id}/{fileName}", null, null, ct, HttpCompletionOption.ResponseHeadersRead);
        var path = Path.Combine(directory, fileName);
        await using var file = File.Create(path);
        await response.Content.CopyToAsync(file, ct);
        return path;
    }

    private static MultipartFormDataContent Form(ReconciliationOrder order, List<Stream> streams)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(order.From.ToString("O")), "from" },
            { new StringContent(order.To.ToString("O")), "to" },
            { new StringContent(order.Resubmit ? "true" : "false"), "resubmit" },
        };
        foreach (var (name, value) in new[] { ("retailerId", order.RetailerId), ("programmeId", order.ProgrammeId), ("agencyMsp", order.AgencyMsp),
            ("payableCutOff", order.PayableCutOff?.ToString("O")) })
            if (value is not null) form.Add(new StringContent(value), name);
        if (order.PaymentsFile is not null) form.Add(FilePart(order.PaymentsFile, "text/csv", streams), "payments", "payments.csv");
        foreach (var journal in order.JournalFiles ?? []) form.Add(FilePart(journal, "application/x-ndjson", streams), "journals", Path.GetFileName(journal));
        return form;
    }

    private static StreamContent FilePart(string path, string type, List<Stream> streams)
    {
        var stream = File.OpenRead(path);
        streams.Add(stream);
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }
}
