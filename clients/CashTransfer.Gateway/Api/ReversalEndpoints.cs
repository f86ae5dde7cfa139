using Fabric.Ecdsa;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Pos.Receipts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CashTransfer.Gateway.Api;

/// <summary>
/// Reversal of an accepted redemption, restoring the beneficiary's entitlements and removing the retailer's
/// payables. Two paths, as the chaincode has them: the paying agency's operator (no time limit), and the retailer
/// through one of its terminals with a signed request (within the ledger's 24 h window). Both are online: the
/// answer is the reversed redemption once committed, or the ledger's refusal; the projection follows the
/// <c>RedemptionReversed</c> event. The gateway checks what it can before calling the ledger (format, the
/// terminal's own request and signature), so that a bad request never costs an endorsement.
/// </summary>
public static class ReversalEndpoints
{
    /// <summary><c>POST /api/operator/redemptions/{redemptionId}/reversal</c> with <c>{"reason": "..."}</c>.</summary>
    public static RouteHandlerBuilder MapAgencyReversal(this RouteGroupBuilder operators) =>
        operators.MapPost("/redemptions/{redemptionId}/reversal", ReverseByAgencyAsync)
            .WithName("ReverseRedemptionByAgency")
            .WithSummary("Reverse a redemption that your agency's programmes paid for (any time before it is settled).")
            .ProducesReversalOutcomes();

    /// <summary><c>POST /api/pos/reversals</c> with a <see cref="SignedReversal"/> made by the calling terminal.</summary>
    public static RouteHandlerBuilder MapRetailerReversal(this RouteGroupBuilder terminals) =>
        terminals.MapPost("/reversals", ReverseByRetailerAsync)
            .WithName("ReverseRedemptionByRetailer")
            .WithSummary("Reverse a redemption made at this terminal's retailer, within 24 hours of it, with a request signed by the terminal.")
            .ProducesReversalOutcomes();

    /// <summary>What a reversal answers, by either route: the reversed redemption, or the ledger's refusal as a problem.</summary>
    private static RouteHandlerBuilder ProducesReversalOutcomes(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesLedgerProblems();

    private static async Task<Results<Ok<RedemptionRecord>, ProblemHttpResult>> ReverseByAgencyAsync(string redemptionId, AgencyReversalDto? body, HttpContext http, ILedgerGateway ledger)
    {
        var problems = new List<string>();
        if (!IdRules.IsRedemptionReference(redemptionId)) problems.Add($"redemptionId must be {IdRules.RedemptionIdRule}.");
        if (!ReversalReasons.IsKnown(body?.Reason)) problems.Add($"reason must be one of {string.Join(", ", ReversalReasons.All)}.");
        if (problems.Count > 0) return Invalid(problems);
        return await LedgerResults.ChangeAsync<RedemptionRecord>(http, ledger, ChaincodeFunctions.ReverseByAgency, [redemptionId, body!.Reason]);
    }

    private static async Task<Results<Ok<RedemptionRecord>, ProblemHttpResult>> ReverseByRetailerAsync(SignedReversal? signed, HttpContext http, ILedgerGateway ledger, TerminalRepository terminals)
    {
        var terminalId = ClientClaims.TerminalIdOf(http.User)!;
        var problems = ReceiptRules.ReversalProblems(signed?.Request);
        if (problems.Count > 0) return Invalid(problems);
        var request = signed!.Request;
        if (request.TerminalId != terminalId)
            return Problems.Result(403, "Request of another terminal", $"Terminal {terminalId} may send only reversal requests it signed itself.", "terminal-mismatch");
        var terminal = await terminals.FindAsync(terminalId, http.RequestAborted);
        if (terminal is null)
            return Problems.Result(403, "Unknown terminal", $"Terminal {terminalId} is not registered.", "terminal-unknown");
        using (var key = EcdsaKeys.TryImportPem(terminal.PublicKeyPem))
            if (key is null || !ReceiptEncoding.Verify(signed, key))
                return Problems.Result(422, "Reversal signature invalid",
                    $"The reversal request is not signed by terminal {terminalId}'s registered key (version {terminal.KeyVersion}); nothing was changed.", "reversal-signature-invalid");
        return await LedgerResults.ChangeAsync<RedemptionRecord>(http, ledger, ChaincodeFunctions.ReverseByRetailer, [ChaincodeArguments.Json(signed)]);
    }

    private static ProblemHttpResult Invalid(IReadOnlyList<string> problems) =>
        Problems.Result(400, "Invalid reversal", string.Join(" ", problems) + " Nothing was changed.", "reversal-invalid");
}
