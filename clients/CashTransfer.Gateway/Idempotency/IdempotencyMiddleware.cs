using System.Security.Cryptography;
using System.Text;
using CashTransfer.Gateway.Api;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Telemetry;
using CashTransfer.Api.Signing;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Idempotency;

/// <summary>
/// Every mutating API request (POST, PUT, PATCH, DELETE under /api) needs an <c>Idempotency-Key</c>. The first
/// request with a key claims it (a unique row per client and key, so two concurrent duplicates cannot both run)
/// and its response is stored; a repeat gets the stored status and body back; the same key with a different
/// request gets 422. A server-side failure (5xx) releases the key so that the client may retry. Records are kept for
/// <see cref="IdempotencyOptions.Retention"/> from the first request; after that the key is free again
/// (<see cref="IdempotencyPurger"/> deletes expired records in the background).
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyRepository records, TimeProvider clock, GatewayMetrics metrics, LedgerExceptionHandler errors,
    IOptions<ServiceOptions> options)
{
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxKeyLength = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsMutating(context.Request) || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        var key = context.Request.Headers[RequestSignature.IdempotencyKeyHeader].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(key) || key.Length > MaxKeyLength)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Idempotency-Key required",
                $"Every change needs an {RequestSignature.IdempotencyKeyHeader} header of 1-{MaxKeyLength} characters (e.g. a UUID); send the same key when you retry.", "idempotency-key-missing");
            return;
        }
        var principal = ClientClaims.KeyIdOf(context.User);
        var requestHash = await RequestHashAsync(context);
        var ct = context.RequestAborted;

        var now = clock.GetUtcNow();
        if (!await records.TryClaimAsync(principal, key, requestHash, now, now - options.Value.Idempotency.Retention, ct))
        {
            await AnswerRepeatAsync(context, await records.FindAsync(principal, key, ct), requestHash);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                // A refusal (e.g. the chaincode's 409) is an answer like any other: it is stored and replayed.
                if (!await errors.TryHandleAsync(context, e, ct)) throw;
            }
            var status = context.Response.StatusCode;
            if (status >= 500) await records.ReleaseAsync(principal, key, CancellationToken.None);
            else await records.CompleteAsync(principal, key, status, context.Response.ContentType, Encoding.UTF8.GetString(buffer.ToArray()),
                context.Response.Headers.Location.FirstOrDefault(), CancellationToken.None);
        }
        catch
        {
            await records.ReleaseAsync(principal, key, CancellationToken.None);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
    }

    private async Task AnswerRepeatAsync(HttpContext context, IdempotencyRecord? record, string requestHash)
    {
        if (record is null)
        {
            // Released between our claim attempt and the read: the first request failed; the client may retry.
            await Problems.WriteAsync(context, StatusCodes.Status409Conflict, "Request in progress", "A request with this Idempotency-Key has just failed; retry it.", "idempotency-in-progress");
            return;
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(record.RequestHash), Encoding.ASCII.GetBytes(requestHash)))
        {
            await Problems.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                "This Idempotency-Key was used for a different request; use a new key for a new request.", "idempotency-key-reused");
            return;
        }
        if (record.State != "complete")
        {
            await Problems.WriteAsync(context, StatusCodes.Status409Conflict, "Request in progress",
                "The first request with this Idempotency-Key is still running; retry shortly to get its response.", "idempotency-in-progress");
            return;
        }
        metrics.IdempotentReplay();
        context.Response.StatusCode = (int)record.StatusCode!.Value;
        if (record.ContentType is not null) context.Response.ContentType = record.ContentType;
        if (record.ResponseLocation is not null) context.Response.Headers.Location = record.ResponseLocation;
        context.Response.Headers[ReplayedHeader] = "true";
        await context.Response.WriteAsync(record.ResponseBody ?? "", context.RequestAborted);
    }

    private static bool IsMutating(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method));

    /// <summary>SHA-256 over method, path and query, and the body's hash (computed by the authentication handler).</summary>
    private static async Task<string> RequestHashAsync(HttpContext context)
    {
        if (context.Items[SignedRequestHandler.BodyHashItem] is not byte[] bodyHash)
        {
            context.Request.EnableBuffering();
            bodyHash = await SHA256.HashDataAsync(context.Request.Body, context.RequestAborted);
            context.Request.Body.Position = 0;
        }
        var text = $"{context.Request.Method}\n{context.Request.Path}{context.Request.QueryString}\n{Convert.ToHexStringLower(bodyHash)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
