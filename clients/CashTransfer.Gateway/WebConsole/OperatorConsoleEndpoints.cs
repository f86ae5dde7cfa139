using CashTransfer.Contracts;
using CashTransfer.Gateway.Api;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Ledger;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>A programme and how much of its budget has been issued as entitlements.</summary>
public sealed record ProgrammeBudgetDto(string ProgrammeId, string Currency, string Status, DateTimeOffset ValidUntil, long BudgetMinor, long IssuedMinor);

/// <summary>
/// The lists an operator's console shows (added beside the operator API, same role): the agency's programmes with
/// their budget used, retailers, terminals and a retailer's settlements. Each is a page with a bookmark.
/// </summary>
public static class OperatorConsoleEndpoints
{
    internal const string GetSettlementsByRetailer = "Query:GetSettlementsByRetailer";

    public static void MapOperatorConsoleApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operator").RequireAuthorization(Policies.Operator).WithTags("Operators");
        group.MapGet("/programmes", ListProgrammesAsync);
        group.MapGet("/retailers", (ConsoleViews views, CancellationToken ct, string bookmark = "", int pageSize = 100) =>
            views.ListRetailersAsync(bookmark, pageSize, ct));
        group.MapGet("/terminals", (ConsoleViews views, CancellationToken ct, string? retailerId, string bookmark = "", int pageSize = 100) =>
            views.ListTerminalsAsync(retailerId, bookmark, pageSize, ct));
        group.MapGet("/retailers/{retailerId}/settlements", (string retailerId, HttpContext http, ILedgerGateway ledger, int pageSize = 100, string bookmark = "") =>
            EvaluatePageAsync(http, ledger, GetSettlementsByRetailer, retailerId, pageSize, bookmark));
    }

    /// <summary>The caller's agency's programmes; each one's budget use is read from the ledger (one small query per programme).</summary>
    private static async Task<Page<ProgrammeBudgetDto>> ListProgrammesAsync(HttpContext http, ConsoleViews views, ILedgerGateway ledger, string bookmark = "", int pageSize = 50)
    {
        var caller = ClientClaims.LedgerCallerOf(http.User);
        var page = await views.ListProgrammesAsync(ClientClaims.AgencyOf(http.User), bookmark, Math.Min(pageSize, 100), http.RequestAborted);
        var items = new List<ProgrammeBudgetDto>(page.Items.Count);
        foreach (var p in page.Items)
        {
            // One entitlement per page is enough: the budget figures come from the programme's budget record.
            var budget = await ledger.EvaluateJsonAsync<ProgrammeBudgetRecord>(caller, ChaincodeFunctions.GetProgrammeTotals, [p.ProgrammeId, "1", ""], http.RequestAborted);
            items.Add(new ProgrammeBudgetDto(p.ProgrammeId, p.Currency, p.Status, DateTimeOffset.Parse(p.ValidUntil, System.Globalization.CultureInfo.InvariantCulture),
                budget.BudgetMinor, budget.BudgetIssuedMinor));
        }
        return new Page<ProgrammeBudgetDto>(items, page.Bookmark);
    }

    internal static async Task<IResult> EvaluatePageAsync(HttpContext http, ILedgerGateway ledger, string function, string id, int pageSize, string bookmark) =>
        OperatorEndpoints.Json(await ledger.EvaluateAsync(ClientClaims.LedgerCallerOf(http.User), function,
            [id, Math.Clamp(pageSize, 1, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), bookmark], http.RequestAborted));
}
