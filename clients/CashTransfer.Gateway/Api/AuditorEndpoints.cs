using System.Globalization;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CashTransfer.Gateway.Api;

/// <summary>Auditors: the chaincode's queries (read-only, with the auditor identity), the gateway's outbox totals, and a ledger export.</summary>
public static class AuditorEndpoints
{
    public static RouteGroupBuilder MapAuditorApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").RequireAuthorization(Policies.Auditor).WithTags("Auditors");
        group.MapGet("/redemptions/{redemptionId}", (string redemptionId, HttpContext http, ILedgerGateway ledger) =>
            LedgerResults.QueryAsync<RedemptionRecord>(http, ledger, ChaincodeFunctions.GetRedemption, redemptionId))
            .ProducesLedgerProblems();
        group.MapGet("/redemptions", ListRedemptionsAsync).ProducesLedgerProblems();
        group.MapGet("/payables/{retailerId}", (string retailerId, HttpContext http, ILedgerGateway ledger, int pageSize = 100, string bookmark = "") =>
            LedgerResults.QueryAsync<Page<PayableRecord>>(http, ledger, ChaincodeFunctions.GetPayables, retailerId, Page(pageSize), bookmark))
            .ProducesLedgerProblems();
        group.MapGet("/settlements/{settlementId}", (string settlementId, HttpContext http, ILedgerGateway ledger) =>
            LedgerResults.QueryAsync<SettlementRecord>(http, ledger, ChaincodeFunctions.GetSettlement, settlementId))
            .ProducesLedgerProblems();
        group.MapGet("/settlements", (string retailerId, HttpContext http, ILedgerGateway ledger, int pageSize = 100, string bookmark = "") =>
            LedgerResults.QueryAsync<Page<SettlementRecord>>(http, ledger, ChaincodeFunctions.GetSettlementsByRetailer, retailerId, Page(pageSize), bookmark))
            .ProducesLedgerProblems();
        group.MapProgrammeList();
        group.MapGet("/programmes/{programmeId}/totals", (string programmeId, HttpContext http, ILedgerGateway ledger, int pageSize = 1000, string bookmark = "") =>
            LedgerResults.QueryAsync<ProgrammeTotalsRecord>(http, ledger, ChaincodeFunctions.GetProgrammeTotals, programmeId, Page(pageSize), bookmark))
            .ProducesLedgerProblems();
        group.MapGet("/history/{recordType}", (string recordType, string[] key, HttpContext http, ILedgerGateway ledger, int pageSize = 100, string bookmark = "") =>
            LedgerResults.QueryAsync<Page<HistoryRecord>>(http, ledger, ChaincodeFunctions.GetHistory, recordType, JsonSerializer.Serialize(key), Page(pageSize), bookmark))
            .ProducesLedgerProblems();
        group.MapGet("/outbox", async (OutboxRepository outbox, CancellationToken ct) => TypedResults.Ok(await outbox.CountByStatusAsync(ct)));
        group.MapGet("/read-models/payables/{retailerId}", async (string retailerId, ProjectionRepository views, CancellationToken ct) =>
            TypedResults.Ok(await views.ListPayablesAsync(retailerId, ct)));
        // Streamed as it is read from the ledger, so there is no typed result to declare it.
        group.MapGet("/export", ExportAsync).Produces<RedemptionRecord>(StatusCodes.Status200OK, "application/x-ndjson").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static async Task<Results<Ok<Page<RedemptionRecord>>, ProblemHttpResult>> ListRedemptionsAsync(HttpContext http, ILedgerGateway ledger, string? terminalId, string? retailerId,
        DateTimeOffset? from, DateTimeOffset? to, int pageSize = 100, string bookmark = "")
    {
        if (terminalId is not null) return await EvaluateAsync(http, ledger, ChaincodeFunctions.GetRedemptionsByTerminal, terminalId, Page(pageSize), bookmark);
        if (retailerId is not null) return await EvaluateAsync(http, ledger, ChaincodeFunctions.GetRedemptionsByRetailer, retailerId, Page(pageSize), bookmark);
        if (from is not null && to is not null)
            return await EvaluateAsync(http, ledger, ChaincodeFunctions.GetRedemptionsByPeriod, from.Value.ToString("O"), to.Value.ToString("O"), Page(pageSize), bookmark);
        return Problems.Result(400, "Which redemptions?", "Give terminalId, retailerId, or from and to (ISO 8601).", "query-invalid");
    }

    /// <summary>Every redemption recorded in [from, to) as JSON lines, paging through the ledger.</summary>
    private static async Task ExportAsync(HttpContext http, ILedgerGateway ledger, DateTimeOffset from, DateTimeOffset to)
    {
        var caller = ClientClaims.LedgerCallerOf(http.User);
        http.Response.ContentType = "application/x-ndjson";
        var bookmark = "";
        do
        {
            var page = await ledger.EvaluateJsonAsync<Page<JsonElement>>(caller, ChaincodeFunctions.GetRedemptionsByPeriod,
                [from.ToString("O"), to.ToString("O"), "1000", bookmark], http.RequestAborted);
            foreach (var item in page.Items) await http.Response.WriteAsync(item.GetRawText() + "\n", http.RequestAborted);
            bookmark = page.Bookmark;
        } while (!string.IsNullOrEmpty(bookmark));
    }

    private static string Page(int pageSize) => Math.Clamp(pageSize, 1, 1000).ToString(CultureInfo.InvariantCulture);

    private static Task<Ok<Page<RedemptionRecord>>> EvaluateAsync(HttpContext http, ILedgerGateway ledger, string function, params string[] arguments) =>
        LedgerResults.QueryAsync<Page<RedemptionRecord>>(http, ledger, function, arguments);
}
