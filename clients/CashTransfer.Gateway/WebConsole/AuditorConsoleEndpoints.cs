using System.Globalization;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Api;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>
/// The aggregates an auditor's dashboard shows (added beside the auditor API, same role): redemptions per day per
/// programme, and payable against settled per retailer.
/// </summary>
public static class AuditorConsoleEndpoints
{
    /// <summary>The longest period one daily-redemptions request may cover.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(93);

    public static void MapAuditorConsoleApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").RequireAuthorization(Policies.Auditor).WithTags("Auditors");
        group.MapGet("/daily-redemptions", DailyAsync);
        // The first path of the daily totals, kept working for scripts; it sits under /redemptions/{redemptionId}, so it
        // is left out of the OpenAPI document: /daily-redemptions is the one to use.
        group.MapGet("/redemptions/daily", DailyAsync).ExcludeFromDescription();
        group.MapGet("/retailers", (ConsoleViews views, CancellationToken ct, string bookmark = "", int pageSize = 100) =>
            views.ListRetailersAsync(bookmark, pageSize, ct));
        group.MapGet("/retailers/balances", BalancesAsync);
        group.MapGet("/retailers/{retailerId}/settlements", OperatorConsoleEndpoints.SettlementsPageAsync).ProducesLedgerProblems();
    }

    /// <summary>Accepted redemptions recorded in [from, to), per UTC day and programme, read through the ledger page by page.</summary>
    private static async Task<Results<Ok<IReadOnlyList<DailyRedemptionsDto>>, ProblemHttpResult>> DailyAsync(HttpContext http, ILedgerGateway ledger, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from || to - from > MaxPeriod)
            return Problems.Result(400, "Which period?", $"Give from < to (ISO 8601), at most {MaxPeriod.TotalDays:0} days apart.", "query-invalid");
        var caller = ClientClaims.LedgerCallerOf(http.User);
        var totals = new DailyRedemptions();
        var bookmark = "";
        do
        {
            var page = await ledger.EvaluateJsonAsync<Page<RedemptionRecord>>(caller, ChaincodeFunctions.GetRedemptionsByPeriod,
                [from.ToString("O"), to.ToString("O"), "1000", bookmark], http.RequestAborted);
            foreach (var r in page.Items) totals.Add(r);
            bookmark = page.Bookmark;
        } while (!string.IsNullOrEmpty(bookmark));
        return TypedResults.Ok(totals.Totals());
    }

    /// <summary>One page of retailers: unsettled payables from the read model, settled totals from the ledger's settlements.</summary>
    private static async Task<Ok<Page<RetailerBalanceDto>>> BalancesAsync(HttpContext http, ConsoleViews views, ILedgerGateway ledger, string bookmark = "", int pageSize = 50)
    {
        var caller = ClientClaims.LedgerCallerOf(http.User);
        var retailers = await views.ListRetailersAsync(bookmark, Math.Min(pageSize, 100), http.RequestAborted);
        var ids = retailers.Items.Select(r => r.RetailerId).ToList();
        var payable = (await views.PayableTotalsAsync(ids, http.RequestAborted)).ToDictionary(p => (p.RetailerId, p.Currency), p => p.AmountMinor);
        var items = new List<RetailerBalanceDto>();
        foreach (var retailerId in ids)
        {
            var settled = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var settlementsBookmark = "";
            do
            {
                var page = await ledger.EvaluateJsonAsync<Page<SettlementRecord>>(caller, ChaincodeFunctions.GetSettlementsByRetailer,
                    [retailerId, "1000", settlementsBookmark], http.RequestAborted);
                foreach (var total in page.Items.SelectMany(s => s.Totals ?? [])) settled[total.Currency] = checked(settled.GetValueOrDefault(total.Currency) + total.Minor);
                settlementsBookmark = page.Bookmark;
            } while (!string.IsNullOrEmpty(settlementsBookmark));
            var currencies = settled.Keys.Concat(payable.Keys.Where(k => k.RetailerId == retailerId).Select(k => k.Currency)).Distinct().Order(StringComparer.Ordinal);
            items.AddRange(currencies.Select(c => new RetailerBalanceDto(retailerId, c, payable.GetValueOrDefault((retailerId, c)), settled.GetValueOrDefault(c))));
        }
        return TypedResults.Ok(new Page<RetailerBalanceDto>(items, retailers.Bookmark));
    }
}
