using CashTransfer.Gateway.Ledger;
using Microsoft.AspNetCore.Diagnostics;
using Polly.CircuitBreaker;

namespace CashTransfer.Gateway.Api;

/// <summary>
/// Turns failures into problem details: the chaincode's refusals keep their meaning (400, 403, 404, 409; a bad
/// signature becomes 422), an unreachable ledger is 503 with Retry-After, unreadable JSON is 400.
/// </summary>
public sealed class LedgerExceptionHandler(ILogger<LedgerExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, type) = exception switch
        {
            ChaincodeRejectedException { Status: 400 } => (400, "Refused by the ledger", "ledger-invalid"),
            ChaincodeRejectedException { Status: 401 } => (422, "Signature not accepted by the ledger", "ledger-signature"),
            ChaincodeRejectedException { Status: 403 } => (403, "Not allowed by the ledger", "ledger-forbidden"),
            ChaincodeRejectedException { Status: 404 } => (404, "Not on the ledger", "ledger-not-found"),
            ChaincodeRejectedException { Status: 409 } => (409, "Conflicts with the ledger", "ledger-conflict"),
            ChaincodeRejectedException => (502, "Unexpected ledger answer", "ledger-error"),
            LedgerException or BrokenCircuitException => (503, "Ledger unavailable", "ledger-unavailable"),
            BadHttpRequestException { StatusCode: 413 } => (413, "Request body too large", "body-too-large"),
            BadHttpRequestException e => (e.StatusCode, "Bad request", "request-invalid"),
            _ => (0, "", ""),
        };
        if (status == 0) return false;
        if (status == 503)
        {
            http.Response.Headers.RetryAfter = "5";
            logger.LogWarning("Ledger unavailable for {Path}: {Error}", http.Request.Path, exception.Message);
        }
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(Problems.Create(status, title, exception.Message, type), (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", ct);
        return true;
    }
}
