using System.Globalization;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Reconciliations;
using CashTransfer.Pos.Receipts;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Reports;
using CashTransfer.Reconciliation.Sources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CashTransfer.Gateway.Api;

/// <summary>
/// Auditors' reconciliation jobs. <c>POST /api/audit/reconciliations</c> takes multipart/form-data: the fields
/// <c>from</c>, <c>to</c> (ISO 8601), optional <c>retailerId</c>, <c>programmeId</c>, <c>agencyMsp</c>,
/// <c>payableCutOff</c>, <c>resubmit</c> (true/false), a <c>payments</c> file (CSV) and any number of <c>journals</c>
/// files named <c>&lt;terminalId&gt;.ndjson</c>; it answers 202 with the job. <c>GET .../{id}</c> shows progress and
/// the summary; <c>GET .../{id}/reconciliation.html</c>, <c>reconciliation.json</c> and <c>exceptions.csv</c> are the reports.
/// </summary>
public static class ReconciliationEndpoints
{
    private const long MaxUpload = 1L << 30;

    public static RouteGroupBuilder MapReconciliationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit/reconciliations").RequireAuthorization(Policies.Auditor).WithTags("Auditors");
        group.MapPost("", StartAsync).Accepts<IFormFile>("multipart/form-data").WithMetadata(new RequestSizeLimitAttribute(MaxUpload))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        // The latest jobs (newest first), for the console's list of reports; one page, so the bookmark is empty.
        group.MapGet("", async (ReconciliationJobStore jobs, CancellationToken ct) => TypedResults.Ok(new Page<ReconciliationJob>(await jobs.ListLatestAsync(100, ct), "")));
        group.MapGet("/{id}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/{file}", ReportAsync)
            .Produces<string>(StatusCodes.Status200OK, "text/html", "text/csv", "application/json") // a file: its typed result cannot say the media type
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Accepted<ReconciliationJob>, ProblemHttpResult>> StartAsync(HttpContext http, ReconciliationJobStore jobs, ReconciliationWorker worker, TimeProvider clock)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) ? type.Boundary : default).Value;
        if (type is null || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(boundary))
            return Invalid(415, "Send multipart/form-data: the fields from and to, optionally a payments file and journals files.");
        var id = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(jobs.JournalsOf(id));
        try
        {
            var (fields, journals, hasPayments, problem) = await ReceiveAsync(http, jobs, id, boundary);
            problem ??= await CheckPaymentsAsync(jobs, id, hasPayments, http.RequestAborted);
            if (problem is not null || !TryRequest(fields, journals, hasPayments, ClientClaims.AgencyOf(http.User), out var request, out problem))
            {
                Directory.Delete(jobs.FolderOf(id), recursive: true);
                return Invalid(400, problem!);
            }
            var job = new ReconciliationJob(id, request, ReconciliationJobStatus.Queued, null, 0, null, null, null, clock.GetUtcNow(), null);
            await jobs.SaveAsync(job, http.RequestAborted);
            worker.Enqueue(id);
            return TypedResults.Accepted($"/api/audit/reconciliations/{id}", job);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException)
        {
            Directory.Delete(jobs.FolderOf(id), recursive: true);
            return Invalid(400, $"The upload could not be read: {e.Message}");
        }
    }

    /// <summary>Streams the parts to the job's folder: fields into a dictionary, files to disk, never the files in memory.</summary>
    private static async Task<(Dictionary<string, string> Fields, List<string> Journals, bool HasPayments, string? Problem)> ReceiveAsync(
        HttpContext http, ReconciliationJobStore jobs, string id, string boundary)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var journals = new List<string>();
        var hasPayments = false;
        var reader = new MultipartReader(boundary, http.Request.Body);
        while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) return (fields, journals, hasPayments, "A part has no Content-Disposition.");
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName.HasValue ? disposition.FileName : disposition.FileNameStar).Value;
            if (fileName is null)
            {
                if (fields.Count > 20) return (fields, journals, hasPayments, "Too many fields.");
                using var text = new StreamReader(section.Body);
                fields[name] = (await text.ReadToEndAsync(http.RequestAborted)).Trim();
                continue;
            }
            string path;
            if (name == "payments")
            {
                if (hasPayments) return (fields, journals, hasPayments, "Send one payments file.");
                (hasPayments, path) = (true, jobs.PaymentsOf(id));
            }
            else if (name == "journals")
            {
                var file = fileName;
                var terminal = Path.GetFileNameWithoutExtension(file);
                if (Path.GetFileName(file) != file || !file.EndsWith(".ndjson", StringComparison.Ordinal) || !ReceiptRules.IsId(terminal))
                    return (fields, journals, hasPayments, $"A journal file is named <terminalId>.ndjson; '{fileName}' is not.");
                if (journals.Contains(file, StringComparer.Ordinal)) return (fields, journals, hasPayments, $"Two journal files are named {file}.");
                journals.Add(file);
                path = Path.Combine(jobs.JournalsOf(id), file);
            }
            else return (fields, journals, hasPayments, $"Unknown file part '{name}': use payments or journals.");
            await using var target = File.Create(path);
            await section.Body.CopyToAsync(target, http.RequestAborted);
        }
        return (fields, journals, hasPayments, null);
    }

    private static async Task<string?> CheckPaymentsAsync(ReconciliationJobStore jobs, string id, bool hasPayments, CancellationToken ct)
    {
        if (!hasPayments) return null;
        try
        {
            await using var rows = PaymentStatement.FromPath(jobs.PaymentsOf(id)).ReadAsync(ct).GetAsyncEnumerator(ct);
            await rows.MoveNextAsync();
            return null;
        }
        catch (ReconciliationInputException e)
        {
            return e.Message;
        }
    }

    private static bool TryRequest(Dictionary<string, string> fields, List<string> journals, bool hasPayments, string agency,
        out ReconciliationRequest request, out string? problem)
    {
        request = null!;
        problem = null;
        if (!Time(fields, "from", out var from, required: true, ref problem) | !Time(fields, "to", out var to, required: true, ref problem)
            | !Time(fields, "payableCutOff", out var cutOff, required: false, ref problem))
            return false;
        var resubmit = fields.GetValueOrDefault("resubmit");
        if (resubmit is not (null or "" or "true" or "false")) { problem = "resubmit is true or false."; return false; }
        foreach (var key in new[] { "retailerId", "programmeId", "agencyMsp" })
            if (fields.TryGetValue(key, out var v) && v.Length > 0 && !ReceiptRules.IsId(v)) { problem = $"{key} '{v}' is not an id."; return false; }
        if (to <= from) { problem = "The period must end after it starts (to > from)."; return false; }
        request = new ReconciliationRequest(from!.Value, to!.Value, Optional(fields, "retailerId"), Optional(fields, "programmeId"), Optional(fields, "agencyMsp"),
            cutOff, resubmit == "true", agency, hasPayments, journals);
        return true;
    }

    private static bool Time(Dictionary<string, string> fields, string name, out DateTimeOffset? value, bool required, ref string? problem)
    {
        value = null;
        if (!fields.TryGetValue(name, out var text) || text.Length == 0)
        {
            if (required) problem ??= $"{name} is required (ISO 8601, e.g. 2026-11-01T00:00:00Z).";
            return !required;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) { value = parsed; return true; }
        problem ??= $"{name} '{text}' is not an ISO 8601 time.";
        return false;
    }

    private static string? Optional(Dictionary<string, string> fields, string name) => fields.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    private static async Task<Results<Ok<ReconciliationJob>, ProblemHttpResult>> GetAsync(string id, ReconciliationJobStore jobs, CancellationToken ct) =>
        await jobs.FindAsync(id, ct) is { } job ? TypedResults.Ok(job) : NotFound(id);

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> ReportAsync(string id, string file, ReconciliationJobStore jobs, CancellationToken ct)
    {
        if (!ReportFiles.Formats.Select(ReportFiles.FileNameOf).Contains(file, StringComparer.Ordinal))
            return Problems.Result(404, "No such report", $"The reports are {string.Join(", ", ReportFiles.Formats.Select(ReportFiles.FileNameOf))}.", "report-unknown");
        var job = await jobs.FindAsync(id, ct);
        if (job is null) return NotFound(id);
        if (job.Status != ReconciliationJobStatus.Completed)
            return Problems.Result(409, "Reconciliation not finished", $"Reconciliation {id} is {job.Status}{(job.Error is null ? "" : ": " + job.Error)}.", "reconciliation-not-finished");
        return TypedResults.PhysicalFile(Path.GetFullPath(Path.Combine(jobs.FolderOf(id), file)), ReportFiles.ContentTypeOf(file), file);
    }

    private static ProblemHttpResult NotFound(string id) => Problems.Result(404, "No such reconciliation", $"There is no reconciliation {id}.", "reconciliation-unknown");

    private static ProblemHttpResult Invalid(int status, string detail) => Problems.Result(status, "Invalid reconciliation request", detail, "reconciliation-invalid");
}
