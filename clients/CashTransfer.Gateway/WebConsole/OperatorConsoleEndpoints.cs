using CashTransfer.Contracts;
using CashTransfer.Gateway.Api;
using CashTransfer.Gateway.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>
/// The lists an operator's console shows besides the operator API (same role): retailers and terminals from the
/// service's read model, and a retailer's settlements from the ledger. Each is a page with a bookmark. (The programme
/// list with budget use is <see cref="ProgrammeListEndpoints"/>, shared with the CLI.)
/// </summary>
public static class OperatorConsoleEndpoints
{
    public static void MapOperatorConsoleApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operator").RequireAuthorization(Auth.Policies.Operator).WithTags("Operators");
        group.MapGet("/retailers", (ConsoleViews views, CancellationToken ct, string bookmark = "", int pageSize = 100) =>
            views.ListRetailersAsync(bookmark, pageSize, ct));
        group.MapGet("/terminals", (ConsoleViews views, CancellationToken ct, string? retailerId, string bookmark = "", int pageSize = 100) =>
            views.ListTerminalsAsync(retailerId, bookmark, pageSize, ct));
        group.MapGet("/retailers/{retailerId}/settlements", SettlementsPageAsync).ProducesLedgerProblems();
    }

    /// <summary>One page of a retailer's settlements (<c>Query:GetSettlementsByRetailer</c>).</summary>
    internal static Task<Ok<Page<SettlementRecord>>> SettlementsPageAsync(string retailerId, HttpContext http, ILedgerGateway ledger, int pageSize = 100, string bookmark = "") =>
        LedgerResults.QueryAsync<Page<SettlementRecord>>(http, ledger, ChaincodeFunctions.GetSettlementsByRetailer,
            retailerId, Math.Clamp(pageSize, 1, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), bookmark);
}
