using CashTransfer.Gateway.Ledger;

namespace CashTransfer.Gateway.Api;

/// <summary>
/// <c>POST /api/operator/retailers/{retailerId}/suspend</c> and <c>.../reactivate</c> (the registering agency only, the
/// chaincode checks). While a retailer is suspended no sale of any of its terminals counts; see docs/chaincode-functions.md.
/// </summary>
public static class RetailerStatusEndpoints
{
    public static RouteGroupBuilder MapRetailerStatus(this RouteGroupBuilder operators)
    {
        operators.MapPost("/retailers/{retailerId}/suspend", (string retailerId, HttpContext http, ILedgerGateway ledger) =>
                LedgerResults.ChangeAsync<RetailerRecord>(http, ledger, ChaincodeFunctions.SuspendRetailer, [retailerId]))
            .WithSummary("Suspend a retailer: sales of all its terminals made or acknowledged from now on are rejected (RetailerSuspended).")
            .ProducesLedgerProblems();
        operators.MapPost("/retailers/{retailerId}/reactivate", (string retailerId, HttpContext http, ILedgerGateway ledger) =>
                LedgerResults.ChangeAsync<RetailerRecord>(http, ledger, ChaincodeFunctions.ReactivateRetailer, [retailerId]))
            .WithSummary("Reactivate a suspended retailer; sales made while it was suspended stay rejected.")
            .ProducesLedgerProblems();
        return operators;
    }
}
