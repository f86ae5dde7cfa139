using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CashTransfer.Cli.Demo;

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
public sealed class ReconciliationClient(GatewayApi auditor)
{
    public async Task<ReconciliationJobView> StartAsync(ReconciliationOrder order, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(order.From.ToString("O")), "from" },
            { new StringContent(order.To.ToString("O")), "to" },
            { new StringContent(order.Resubmit ? "true" : "false"), "resubmit" },
        };
        foreach (var (name, value) in new[] { ("retailerId", order.RetailerId), ("programmeId", order.ProgrammeId), ("agencyMsp", order.AgencyMsp),
            ("payableCutOff", order.PayableCutOff?.ToString("O")) })
            if (value is not null) form.Add(new StringContent(value), name);
        var streams = new List<Stream>();
        try
        {
            if (order.PaymentsFile is not null) form.Add(FilePart(order.PaymentsFile, "text/csv", streams), "payments", "payments.csv");
            foreach (var journal in order.JournalFiles ?? []) form.Add(FilePart(journal, "application/x-ndjson", streams), "journals", Path.GetFileName(journal));
            using var response = await auditor.PostAsync("api/audit/reconciliations", form, $"reconcile/{Guid.NewGuid():N}", ct);
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new ReconciliationFailedException($"The service refused the reconciliation ({(int)response.StatusCode}): {await ProblemAsync(response, ct)}");
            return (await response.Content.ReadFromJsonAsync<ReconciliationJobView>(GatewayApi.Json, ct))!;
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
        using var response = await auditor.Http.GetAsync($"api/audit/reconciliations/{id}/{fileName}", HttpCompletionOption.ResponseHeadersRead, ct);
        await GatewayApi.EnsureAsync(response, $"GET report {fileName}", ct);
        var path = Path.Combine(directory, fileName);
        await using var file = File.Create(path);
        await response.Content.CopyToAsync(file, ct);
        return path;
    }

    private static StreamContent FilePart(string path, string type, List<Stream> streams)
    {
        var stream = File.OpenRead(path);
        streams.Add(stream);
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try { return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? body; }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { return body; }
    }
}
