namespace CashTransfer.Gateway.Api;

/// <summary>
/// For the OpenAPI document: the problems an endpoint that calls the ledger can answer besides its typed result. They are
/// not in the handler's return type because <see cref="LedgerExceptionHandler"/> writes them for every such endpoint
/// (the chaincode's refusals and an unreachable ledger surface as exceptions).
/// </summary>
public static class ResponseMetadata
{
    /// <summary>Refused (400), not signed in (401), not allowed (403), unknown (404), conflict (409), bad signature (422), ledger down (503).</summary>
    public static RouteHandlerBuilder ProducesLedgerProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
