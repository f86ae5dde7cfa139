using System.Globalization;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CashTransfer.Gateway.Api;

/// <summary>
/// <c>GET /api/operator/programmes</c> (the caller's agency's programmes) and <c>GET /api/audit/programmes</c> (every
/// agency's): one page of the ledger's programmes (<c>Query:ListProgrammes</c>) with how much of each one's budget is
/// issued (one small <c>GetProgrammeTotals</c> query per programme, so pages hold at most 100).
/// </summary>
public static class ProgrammeListEndpoints
{
    public static RouteHandlerBuilder MapProgrammeList(this RouteGroupBuilder group) =>
        group.MapGet("/programmes", ListAsync)
            .WithSummary("Programmes with their budget and how much of it is issued, a page at a time (follow the bookmark).")
            .ProducesLedgerProblems();

    private static async Task<Ok<Page<ProgrammeBudgetDto>>> ListAsync(HttpContext http, ILedgerGateway ledger, int pageSize = 50, string bookmark = "")
    {
        var caller = ClientClaims.LedgerCallerOf(http.User);
        var size = Math.Clamp(pageSize, 1, 100).ToString(CultureInfo.InvariantCulture);
        var page = await ledger.EvaluateJsonAsync<Page<ProgrammeRecord>>(caller, ChaincodeFunctions.ListProgrammes, [size, bookmark], http.RequestAborted);
        var items = new List<ProgrammeBudgetDto>(page.Items.Count);
        foreach (var p in page.Items)
        {
            // One entitlement per page is enough: the budget figures come from the programme's budget record.
            var totals = await ledger.EvaluateJsonAsync<ProgrammeTotalsRecord>(caller, ChaincodeFunctions.GetProgrammeTotals, [p.ProgrammeId, "1", ""], http.RequestAborted);
            items.Add(new ProgrammeBudgetDto(p.ProgrammeId, p.Currency, p.Status, p.ValidUntil, p.BudgetMinor, totals.BudgetIssuedMinor, p.OwnerMsp));
        }
        return TypedResults.Ok(new Page<ProgrammeBudgetDto>(items, page.Bookmark));
    }
}
