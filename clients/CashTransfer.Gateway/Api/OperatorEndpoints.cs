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
    public static RouteGroupBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operator").RequireAuthorization(Policies.Operator).WithTags("Operators");
        group.MapPost("/programmes", (ProgrammeDefinitionDto body, HttpContext http, ILedgerGateway ledger) =>
            LedgerResults.CreateAsync<ProgrammeRecord>(http, ledger, ChaincodeFunctions.CreateProgramme, [ChaincodeArguments.Json(body)],
                p => $"/api/operator/programmes/{Uri.EscapeDataString(p.ProgrammeId)}"))
            .ProducesLedgerProblems();
        group.MapProgrammeList();
        group.MapPost("/programmes/{programmeId}/status", (string programmeId, ProgrammeStatusDto body, HttpContext http, ILedgerGateway ledger) =>
            LedgerResults.ChangeAsync<ProgrammeRecord>(http, ledger, ChaincodeFunctions.SetProgrammeStatus, [programmeId, body.Status]))
            .ProducesLedgerProblems();
        group.MapPost("/programmes/{programmeId}/retailers/{retailerId}", (string programmeId, string retailerId, HttpContext http, ILedgerGateway ledger) =>
            LedgerResults.ChangeAsync<ProgrammeRecord>(http, ledger, ChaincodeFunctions.AllowRetailer, [programmeId, retailerId]))
            .ProducesLedgerProblems();
        group.MapGet("/programmes/{programmeId}", (string programmeId, HttpContext http, ILedgerGateway ledger) =>
            LedgerResults.QueryAsync<ProgrammeRecord>(http, ledger, ChaincodeFunctions.GetProgramme, programmeId))
            .ProducesLedgerProblems();
        group.MapDelete("/programmes/{programmeId}/retailers/{retailerId}", (string programmeId, string retailerId, HttpContext http, ILedgerGateway ledger) =>
            LedgerResults.ChangeAsync<ProgrammeRecord>(http, ledger, ChaincodeFunctions.DisallowRetailer, [programmeId, retailerId]))
            .ProducesLedgerProblems();
        group.MapEntitlementChanges();
        group.MapPost("/retailers", (RetailerRegistrationDto body, HttpContext http, ILedgerGateway ledger) =>
            LedgerResults.CreateAsync<RetailerRecord>(http, ledger, ChaincodeFunctions.RegisterRetailer, [ChaincodeArguments.Json(body)],
                r => $"/api/operator/retailers/{Uri.EscapeDataString(r.RetailerId)}"))
            .ProducesLedgerProblems();
        group.MapRetailerStatus();
        group.MapPost("/terminals", RegisterTerminalAsync).ProducesLedgerProblems();
        group.MapPost("/terminals/{terminalId}/suspend", (string terminalId, TerminalSuspensionDto? body, HttpContext http, ILedgerGateway ledger, TerminalRepository terminals) =>
            UpdateTerminalAsync(http, ledger, terminals, ChaincodeFunctions.SuspendTerminal, [terminalId, body?.Reason ?? TerminalSuspensionDto.Routine]))
            .ProducesLedgerProblems();
        group.MapPost("/terminals/{terminalId}/reactivate", (string terminalId, HttpContext http, ILedgerGateway ledger, TerminalRepository terminals) =>
            UpdateTerminalAsync(http, ledger, terminals, ChaincodeFunctions.ReactivateTerminal, [terminalId]))
            .ProducesLedgerProblems();
        group.MapPost("/terminals/{terminalId}/key", (string terminalId, TerminalKeyDto body, HttpContext http, ILedgerGateway ledger, TerminalRepository terminals) =>
            UpdateTerminalAsync(http, ledger, terminals, ChaincodeFunctions.RotateTerminalKey, [terminalId, body.PublicKeyPem]))
            .ProducesLedgerProblems();
        group.MapPost("/entitlement-uploads", UploadEntitlementsAsync)
            .Accepts<string>("text/csv", "application/json")
            .WithMetadata(new RequestSizeLimitAttribute(256L * 1024 * 1024))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/entitlement-uploads/{jobId}", GetUploadAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/entitlement-uploads/{jobId}/results", GetUploadResultsAsync)
            .Produces<string>(StatusCodes.Status200OK, "text/csv") // a file: its typed result cannot say the media type
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/settlements", (SettlementRequestDto body, HttpContext http, ILedgerGateway ledger) =>
            LedgerResults.CreateAsync<SettlementRecord>(http, ledger, ChaincodeFunctions.Settle, [ChaincodeArguments.Json(body)],
                s => $"/api/audit/settlements/{Uri.EscapeDataString(s.SettlementId)}"))
            .ProducesLedgerProblems();
        group.MapAgencyReversal();
        group.MapGet("/overlaps", (string beneficiaryHash, DateTimeOffset from, DateTimeOffset to, HttpContext http, ILedgerGateway ledger) =>
            LedgerResults.QueryAsync<IReadOnlyList<AssistanceRecord>>(http, ledger, ChaincodeFunctions.CheckAssistance, beneficiaryHash, from.ToString("O"), to.ToString("O")))
            .ProducesLedgerProblems();
        // Only the anomalies of terminals the operator's own agency registered.
        group.MapGet("/journal-anomalies", async (string? terminalId, HttpContext http, TerminalJournalRepository journals, CancellationToken ct) =>
            TypedResults.Ok(await journals.ListAnomaliesAsync(terminalId, 500, ClientClaims.AgencyOf(http.User), ct)));
        return group;
    }

    private static async Task<Created<TerminalLedgerRecord>> RegisterTerminalAsync(TerminalRegistrationDto body, HttpContext http, ILedgerGateway ledger, TerminalRepository terminals)
    {
        var terminal = await LedgerResults.SubmitAsync<TerminalLedgerRecord>(http, ledger, ChaincodeFunctions.RegisterTerminal, [ChaincodeArguments.Json(body)]);
        await RememberTerminalAsync(terminals, terminal, http.RequestAborted);
        return TypedResults.Created($"/api/operator/terminals/{Uri.EscapeDataString(terminal.TerminalId)}", terminal);
    }

    private static async Task<Ok<TerminalLedgerRecord>> UpdateTerminalAsync(HttpContext http, ILedgerGateway ledger, TerminalRepository terminals, string function, IReadOnlyList<string> arguments)
    {
        var terminal = await LedgerResults.SubmitAsync<TerminalLedgerRecord>(http, ledger, function, arguments);
        await RememberTerminalAsync(terminals, terminal, http.RequestAborted);
        return TypedResults.Ok(terminal);
    }

    private static Task RememberTerminalAsync(TerminalRepository terminals, TerminalLedgerRecord t, CancellationToken ct) =>
        terminals.UpsertAsync(TerminalRecord.From(t, DateTimeOffset.UtcNow), ct);

    private static async Task<Results<Accepted<BulkJobDto>, ProblemHttpResult>> UploadEntitlementsAsync(string programmeId, string cycle, HttpContext http, BulkJobRepository jobs,
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
            return Problems.Result(404, "No such upload", $"Upload {jobId} does not exist for your agency.");
        return TypedResults.Ok(ToDto(job));
    }

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetUploadResultsAsync(string jobId, HttpContext http, BulkJobRepository jobs)
    {
        var job = await jobs.FindAsync(jobId, http.RequestAborted);
        if (job is null || job.AgencyMsp != ClientClaims.AgencyOf(http.User) || !File.Exists(job.ResultPath))
            return Problems.Result(404, "No results", $"Upload {jobId} has no results yet, or does not exist for your agency.");
        return TypedResults.PhysicalFile(Path.GetFullPath(job.ResultPath), "text/csv", $"{jobId}.results.csv");
    }

    private static BulkJobDto ToDto(BulkJob j) => new(j.JobId, j.ProgrammeId, j.Cycle, j.Status, j.TotalRows, j.ProcessedRows, j.IssuedRows, j.FailedRows, j.Error,
        $"/api/operator/entitlement-uploads/{j.JobId}/results");
}
