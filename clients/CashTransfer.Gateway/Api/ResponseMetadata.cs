namespace CashTransfer.Gateway.Api;

/// <summary>
/// What an endpoint that passes on the chaincode's answer responds, for the OpenAPI document: the answer's type
/// (from CashTransfer.Api, the types clients read it with) and every problem it can answer instead.
/// </summary>
public static class ResponseMetadata
{
    /// <summary>A ledger change or read: <typeparamref name="T"/> with <paramref name="status"/>, or a problem (refused, not allowed, unknown, conflict, ledger down).</summary>
    public static RouteHandlerBuilder ProducesLedger<T>(this RouteHandlerBuilder endpoint, int status = StatusCodes.Status200OK) => endpoint
        .Produces<T>(status)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
