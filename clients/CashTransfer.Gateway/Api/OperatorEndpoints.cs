using CashTransfer.Api;
using System.Text;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Bulk;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using CashTransfer.Pos.Receipts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Api;

/// <summary>Agency operators: programmes, retailers, terminals, bulk entitlements, settlement and overlap checks.</summary>
public static class OperatorEndpoints
{
    private static readonly TimeSpan CommitWait = TimeSpan.FromSeconds(30);

    public static RouteGroupBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operator").RequireAuthorization(Policies.Operator).WithTags("Operators");
        group.MapPost("/programmes", (ProgrammeDefinitionDto body, HttpContext http, ILedgerGateway ledger) =>
            SubmitAsync(http, ledger, ChaincodeFunctions.CreateProgramme, [ChaincodeArguments.Json(body)], StatusCodes.Status201Created))
            .ProducesLedger<ProgrammeRecord>(StatusCodes.Status201Created);
        group.MapPost("/programmes/{programmeId}/status", (string programmeId, ProgrammeStatusDto body, HttpContext http, ILedgerGateway ledger) =>
            SubmitAsync(http, ledger, ChaincodeFunctions.SetProgrammeStatus, [programmeId, body.Status]))
            .ProducesLedger<ProgrammeRecord>();
        group.MapPost("/programmes/{programmeId}/retailers/{retailerId}", (string programmeId, string retailerId, HttpContext http, ILedgerGateway ledger) =>
            SubmitAsync(http, ledger, ChaincodeFunctions.AllowRetailer, [programmeId, retailerId]))
            .ProducesLedger<ProgrammeRecord>();
        group.MapGet("/programmes/{programmeId}", async (string programmeId, HttpContext http, ILedgerGateway ledger) =>
            Json(await ledger.EvaluateAsync(ClientClaims.LedgerCallerOf(http.User), ChaincodeFunctions.GetProgramme, [programmeId], http.RequestAborted)))
            .ProducesLedger<ProgrammeRecord>();
        group.MapDelete("/programmes/{programmeId}/retailers/{retailerId}", (string programmeId, string retailerId, HttpContext http, ILedgerGateway ledger) =>
            SubmitAsync(http, ledger, ChaincodeFunctions.DisallowRetailer, [programmeId, retailerId]))
            .ProducesLedger<ProgrammeRecord>();
        group.MapEntitlementChanges();
        group.MapPost("/retailers", (RetailerRegistrationDto body, HttpContext http, ILedgerGateway ledger) =>
            SubmitAsync(http, ledger, ChaincodeFunctions.RegisterRetailer, [ChaincodeArguments.Json(body)], StatusCodes.Status201Created))
            .ProducesLedger<RetailerRecord>(StatusCodes.Status201Created);
        group.MapPost("/terminals", RegisterTerminalAsync).ProducesLedger<TerminalLedgerRecord>(StatusCodes.Status201Created);
        group.MapPost("/terminals/{terminalId}/suspend", (string terminalId, TerminalSuspensionDto? body, HttpContext http, ILedgerGateway ledger, TerminalRepository terminals) =>
            UpdateTerminalAsync(http, ledger, terminals, ChaincodeFunctions.SuspendTerminal, [terminalId, body?.Reason ?? TerminalSuspensionDto.Routine]))
            .ProducesLedger<TerminalLedgerRecord>();
        group.MapPost("/terminals/{terminalId}/reactivate", (string terminalId, HttpContext http, ILedgerGateway ledger, TerminalRepository terminals) =>
            UpdateTerminalAsync(http, ledger, terminals, ChaincodeFunctions.ReactivateTerminal, [terminalId]))
            .ProducesLedger<TerminalLedgerRecord>();
        group.MapPost("/terminals/{terminalId}/key", (string terminalId, TerminalKeyDto body, HttpContext http, ILedgerGateway ledger, TerminalRepository terminals) =>
            UpdateTerminalAsync(http, ledger, terminals, ChaincodeFunctions.RotateTerminalKey, [terminalId, body.PublicKeyPem]))
            .ProducesLedger<TerminalLedgerRecord>();
        group.MapPost("/entitlement-uploads", UploadEntitlementsAsync)
            .Accepts<string>("text/csv", "application/json")
            .WithMetadata(new RequestSizeLimitAttribute(256L * 1024 * 1024))
            .Produces<BulkJobDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/entitlement-uploads/{jobId}", GetUploadAsync);
        group.MapGet("/entitlement-uploads/{jobId}/results", GetUploadResultsAsync)
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/settlements", (SettlementRequestDto body, HttpContext http, ILedgerGateway ledger) =>
            SubmitAsync(http, ledger, ChaincodeFunctions.Settle, [ChaincodeArguments.Json(body)], StatusCodes.Status201Created))
            .ProducesLedger<SettlementRecord>(StatusCodes.Status201Created);
        group.MapAgencyReversal();
        group.MapGet("/overlaps", async (string beneficiaryHash, DateTimeOffset from, DateTimeOffset to, HttpContext http, ILedgerGateway ledger) =>
            Json(await ledger.EvaluateAsync(ClientClaims.LedgerCallerOf(http.User), ChaincodeFunctions.CheckAssistance,
                [beneficiaryHash, from.ToString("O"), to.ToString("O")], http.RequestAborted)))
            .ProducesLedger<IReadOnlyList<AssistanceRecord>>();
        // Only the anomalies of terminals the operator's own agency registered.
        group.MapGet("/journal-anomalies", async (string? terminalId, HttpContext http, TerminalJournalRepository journals, CancellationToken ct) =>
            TypedResults.Ok(await journals.ListAnomaliesAsync(terminalId, 500, ClientClaims.AgencyOf(http.User), ct)));
        return group;
    }

    /// <summary>Endorses, submits and waits for the commit with the caller's agency identity; answers the chaincode's JSON result.</summary>
    internal static async Task<IResult> SubmitAsync(HttpContext http, ILedgerGateway ledger, string function, IReadOnlyList<string> arguments, int status = StatusCodes.Status200OK)
    {
        var result = await ledger.SubmitAndWaitAsync(ClientClaims.LedgerCallerOf(http.User), function, arguments, CommitWait, http.RequestAborted);
        return Json(result, status);
    }

    internal static IResult Json(byte[] utf8Json, int status = StatusCodes.Status200OK) =>
        TypedResults.Text(Encoding.UTF8.GetString(utf8Json), "application/json", Encoding.UTF8, status);

    private static async Task<IResult> RegisterTerminalAsync(TerminalRegistrationDto body, HttpContext http, ILedgerGateway ledger, TerminalRepository terminals)
    {
        var result = await ledger.SubmitAndWaitAsync(ClientClaims.LedgerCallerOf(http.User), ChaincodeFunctions.RegisterTerminal, [ChaincodeArguments.Json(body)], CommitWait, http.RequestAborted);
        await RememberTerminalAsync(terminals, result, http.RequestAborted);
        return Json(result, StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateTerminalAsync(HttpContext http, ILedgerGateway ledger, TerminalRepository terminals, string function, IReadOnlyList<string> arguments)
    {
        var result = await ledger.SubmitAndWaitAsync(ClientClaims.LedgerCallerOf(http.User), function, arguments, CommitWait, http.RequestAborted);
        await RememberTerminalAsync(terminals, result, http.RequestAborted);
        return Json(result);
    }

    private static Task RememberTerminalAsync(TerminalRepository terminals, byte[] result, CancellationToken ct)
    {
        var t = JsonSerializer.Deserialize<TerminalLedgerRecord>(result, ApiJson.Options)!;
        return terminals.UpsertAsync(TerminalRecord.From(t, DateTimeOffset.UtcNow), ct);
    }

    private static async Task<IResult> UploadEntitlementsAsync(string programmeId, string cycle, HttpContext http, BulkJobRepository jobs,
        BulkUploadWorker worker, IOptions<ServiceOptions> options, TimeProvider clock)
    {
        if (!ReceiptRules.IsId(programmeId) || !ReceiptRules.IsId(cycle))
            return Problems.Result(400, "Invalid programme or cycle", "programmeId and cycle must be 1-64 letters, digits, '.', '_', ':' or '-'.", "upload-invalid");
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var format = mediaType switch { "text/csv" => "csv", "application/json" => "json", _ => null };
        if (format is null)
            return Problems.Result(415, "Unsupported upload format", "Send the rows as text/csv (header beneficiaryHash,amountMinor) or application/json (an array).", "upload-format");

        var jobId = Guid.NewGuid().ToString("N");
        var folder = Path.Combine(options.Value.DataDirectory, "uploads");
        Directory.CreateDirectory(folder);
        var uploadPath = Path.Combine(folder, $"{jobId}.{format}");
        // Written under a temporary name and moved into place: a killed request leaves only a .part file, swept at start.
        var partPath = uploadPath + BulkUploadWorker.PartSuffix;
        try
        {
            await using (var file = new FileStream(partPath, FileMode.CreateNew, FileAccess.Write))
            {
                await http.Request.Body.CopyToAsync(file, http.RequestAborted);
                file.Flush(flushToDisk: true);
            }
            if (await GrantRowReader.CheckShapeAsync(partPath, format, http.RequestAborted) is { } problem)
                return Problems.Result(400, "Malformed upload", problem, "upload-invalid");
            File.Move(partPath, uploadPath);
        }
        finally
        {
            File.Delete(partPath);
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var job = new BulkJob
        {
            JobId = jobId, AgencyMsp = ClientClaims.AgencyOf(http.User), ProgrammeId = programmeId, Cycle = cycle, Format = format,
            UploadPath = uploadPath, ResultPath = Path.Combine(folder, $"{jobId}.results.csv"), Status = "queued", CreatedAt = now, UpdatedAt = now,
        };
        await jobs.InsertAsync(job, http.RequestAborted);
        worker.Enqueue(jobId);
        return TypedResults.Accepted($"/api/operator/entitlement-uploads/{jobId}", ToDto(job));
    }

    private static async Task<Results<Ok<BulkJobDto>, ProblemHttpResult>> GetUploadAsync(string jobId, HttpContext http, BulkJobRepository jobs)
    {
        var job = await jobs.FindAsync(jobId, http.RequestAborted);
        if (job is null || job.AgencyMsp != ClientClaims.AgencyOf(http.User))
            return TypedResults.Problem(Problems.Create(404, "No such upload", $"Upload {jobId} does not exist for your agency."));
        return TypedResults.Ok(ToDto(job));
    }

    private static async Task<IResult> GetUploadResultsAsync(string jobId, HttpContext http, BulkJobRepository jobs)
    {
        var job = await jobs.FindAsync(jobId, http.RequestAborted);
        if (job is null || job.AgencyMsp != ClientClaims.AgencyOf(http.User) || !File.Exists(job.ResultPath))
            return Problems.Result(404, "No results", $"Upload {jobId} has no results yet, or does not exist for your agency.");
        return TypedResults.PhysicalFile(Path.GetFullPath(job.ResultPath), "text/csv", $"{jobId}.results.csv");
    }

    private static BulkJobDto ToDto(BulkJob j) => new(j.JobId, j.ProgrammeId, j.Cycle, j.Status, j.TotalRows, j.ProcessedRows, j.IssuedRows, j.FailedRows, j.Error,
        $"/api/operator/entitlement-uploads/{j.JobId}/results");
}
