using CashTransfer.Api;
using System.Globalization;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Intake;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Submission;
using CashTransfer.Pos.Receipts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Api;

/// <summary>POS terminals: online redemption, offline batch upload, reversal, outcomes and balances. A terminal sees only its own receipts.</summary>
public static class TerminalEndpoints
{
    public static RouteGroupBuilder MapTerminalApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/pos").RequireAuthorization(Policies.Terminal).WithTags("POS terminals");
        group.MapPost("/receipt-batches", UploadBatchAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/redemptions", RedeemOnlineAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapRetailerReversal();
        group.MapGet("/outcomes", ListOutcomesAsync).ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/outcomes/{redemptionId}", GetOutcomeAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/balances/{beneficiaryHash}", GetBalancesAsync).ProducesLedgerProblems();
        return group;
    }

    private static async Task<Results<Accepted<BatchAcknowledgement>, ProblemHttpResult>> UploadBatchAsync(ReceiptBatch batch, HttpContext http, ReceiptIntake intake, OutboxSubmitter submitter)
    {
        var result = await intake.AcceptAsync(ClientClaims.TerminalIdOf(http.User)!, batch, http.RequestAborted);
        if (result.Problem is { } p) return ToProblem(p);
        submitter.Wake();
        return TypedResults.Accepted($"/api/pos/outcomes?fromSequence={result.Acknowledgement!.Receipts[0].Sequence}", result.Acknowledgement);
    }

    /// <summary>Stores the receipt like a batch of one, then waits a while for the ledger's outcome: 200 with it, or 202 with where to fetch it.</summary>
    private static async Task<Results<Ok<ReceiptOutcomeDto>, Accepted<ReceiptOutcomeDto>, ProblemHttpResult>> RedeemOnlineAsync(SignedReceipt receipt, HttpContext http, ReceiptIntake intake, OutboxSubmitter submitter,
        OutboxRepository outbox, IOptions<ServiceOptions> options)
    {
        var terminalId = ClientClaims.TerminalIdOf(http.User)!;
        var result = await intake.AcceptAsync(terminalId, new ReceiptBatch(terminalId, [receipt]), http.RequestAborted);
        if (result.Problem is { } p) return ToProblem(p);
        submitter.Wake();
        var id = receipt.Receipt.RedemptionId;
        var deadline = DateTimeOffset.UtcNow + options.Value.Intake.OnlineWait;
        OutboxEntry? entry;
        do
        {
            await Task.Delay(50, http.RequestAborted);
            entry = await outbox.FindAsync(id, http.RequestAborted);
        } while (entry is { Status: ReceiptState.Received or ReceiptState.Submitted } && DateTimeOffset.UtcNow < deadline);
        var dto = ToDto(entry!, null);
        if (dto.Status is ReceiptState.Committed or ReceiptState.Rejected) return TypedResults.Ok(dto);
        return TypedResults.Accepted($"/api/pos/outcomes/{id}", dto);
    }

    private static async Task<Results<Ok<List<ReceiptOutcomeDto>>, ProblemHttpResult>> ListOutcomesAsync(HttpContext http, OutboxRepository outbox, long fromSequence = 1, int limit = 100)
    {
        if (limit is < 1 or > 1000) return Problems.Result(400, "Invalid limit", "limit must be between 1 and 1000.");
        var entries = await outbox.ListByTerminalAsync(ClientClaims.TerminalIdOf(http.User)!, fromSequence, limit, http.RequestAborted);
        return TypedResults.Ok(entries.Select(e => ToDto(e, null)).ToList());
    }

    private static async Task<Results<Ok<ReceiptOutcomeDto>, ProblemHttpResult>> GetOutcomeAsync(string redemptionId, HttpContext http, OutboxRepository outbox, ProjectionRepository views)
    {
        var entry = await outbox.FindAsync(redemptionId, http.RequestAborted);
        if (entry is null || entry.TerminalId != ClientClaims.TerminalIdOf(http.User))
            return Problems.Result(404, "Unknown receipt", $"This terminal has not uploaded a receipt with redemption id {redemptionId}.", "receipt-unknown");
        var view = await views.FindReceiptStatusAsync(redemptionId, http.RequestAborted);
        return TypedResults.Ok(ToDto(entry, view));
    }

    /// <summary>Balances from the read model when present; otherwise read from the ledger (gateway identity) and kept until an event changes them.</summary>
    private static async Task<Results<Ok<BalancesDto>, ProblemHttpResult>> GetBalancesAsync(string beneficiaryHash, HttpContext http, ProjectionRepository views, ILedgerGateway ledger)
    {
        if (!ReceiptRules.IsHash(beneficiaryHash))
            return Problems.Result(400, "Invalid beneficiary", "Give the beneficiary's keyed hash: 64 lowercase hex characters, never personal data.", "beneficiary-invalid");
        var cached = await views.FindBalancesAsync(beneficiaryHash, http.RequestAborted);
        if (cached is not null)
            return TypedResults.Ok(new BalancesDto(beneficiaryHash, cached.Select(b => new BalanceDto(b.ProgrammeId, b.Cycle, new Money(b.BalanceMinor, b.Currency),
                DateTimeOffset.Parse(b.ValidUntil, CultureInfo.InvariantCulture))).ToList(), "read-model"));
        var items = new List<EntitlementRecord>();
        var bookmark = "";
        do
        {
            var page = await ledger.EvaluateJsonAsync<Page<EntitlementRecord>>(ClientClaims.LedgerCallerOf(http.User), ChaincodeFunctions.GetBeneficiaryEntitlements,
                [beneficiaryHash, "1000", bookmark], http.RequestAborted);
            items.AddRange(page.Items);
            bookmark = page.Bookmark;
        } while (!string.IsNullOrEmpty(bookmark));
        var active = items.Where(e => e.Status == "Active").ToList();
        await views.StoreBalancesAsync(beneficiaryHash, active.Select(e => new BalanceView
        {
            BeneficiaryHash = beneficiaryHash, ProgrammeId = e.ProgrammeId, Cycle = e.Cycle, Currency = e.Currency, BalanceMinor = e.Balance,
            ValidUntil = e.ValidUntil.ToString("O", CultureInfo.InvariantCulture),
        }).ToList(), http.RequestAborted);
        return TypedResults.Ok(new BalancesDto(beneficiaryHash, active.Select(e => new BalanceDto(e.ProgrammeId, e.Cycle, new Money(e.Balance, e.Currency), e.ValidUntil)).ToList(), "ledger"));
    }

    internal static ReceiptOutcomeDto ToDto(OutboxEntry e, ReceiptStatusView? view) =>
        new(e.RedemptionId, e.Sequence, e.Status, e.Reason, e.ReasonDetail, e.Attempts, e.TxId, view?.LedgerStatus);

    internal static ProblemHttpResult ToProblem(IntakeProblem p)
    {
        var extensions = new Dictionary<string, object?> { ["receipts"] = p.Receipts };
        if (p.ExpectedSequence is not null) extensions["expectedSequence"] = p.ExpectedSequence;
        if (p.ReceivedSequence is not null) extensions["receivedSequence"] = p.ReceivedSequence;
        return Problems.Result(p.Status, p.Title, p.Detail, p.Type, extensions);
    }
}
