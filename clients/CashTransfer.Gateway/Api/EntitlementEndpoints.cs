using System.Globalization;
using CashTransfer.Gateway.Ledger;

namespace CashTransfer.Gateway.Api;

/// <summary>
/// Operators' changes to single entitlements after issue: top-up, revocation, and reclaiming expired balances
/// (<c>Entitlement:TopUpEntitlement</c>, <c>RevokeEntitlement</c>, <c>ReclaimExpired</c>; the owning agency only, the
/// chaincode checks). Bulk issue is the upload job in <see cref="OperatorEndpoints"/>.
/// </summary>
public static class EntitlementEndpoints
{
    public static RouteGroupBuilder MapEntitlementChanges(this RouteGroupBuilder operators)
    {
        operators.MapPost("/entitlements/top-ups", (EntitlementTopUpDto body, HttpContext http, ILedgerGateway ledger) =>
                LedgerResults.ChangeAsync<EntitlementRecord>(http, ledger, ChaincodeFunctions.TopUpEntitlement,
                    [body.ProgrammeId, body.Cycle, body.BeneficiaryHash, body.AmountMinor.ToString(CultureInfo.InvariantCulture)]))
            .ProducesLedgerProblems()
            .WithSummary("Add to one beneficiary's entitlement (within the programme's budget).");
        operators.MapPost("/entitlements/revocations", (EntitlementRevocationDto body, HttpContext http, ILedgerGateway ledger) =>
                LedgerResults.ChangeAsync<EntitlementRecord>(http, ledger, ChaincodeFunctions.RevokeEntitlement, [body.ProgrammeId, body.Cycle, body.BeneficiaryHash, body.Reason]))
            .ProducesLedgerProblems()
            .WithSummary("End one beneficiary's entitlement; its balance returns to the programme.");
        operators.MapPost("/entitlements/reclaims", (ExpiredReclaimDto body, HttpContext http, ILedgerGateway ledger) =>
                LedgerResults.ChangeAsync<ReclaimResultRecord>(http, ledger, ChaincodeFunctions.ReclaimExpired,
                    [body.ProgrammeId, body.Cycle, body.Limit.ToString(CultureInfo.InvariantCulture)]))
            .ProducesLedgerProblems()
            .WithSummary("Return the balances of up to `limit` expired entitlements of a cycle; call again while moreRemain.");
        return operators;
    }
}
