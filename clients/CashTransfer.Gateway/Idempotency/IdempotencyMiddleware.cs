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
/// request gets 422. A server-side failure (5xx) releases the key so that the client may retry. While the first request
/// runs, its claim is a lease renewed every third of <see cref="IdempotencyOptions.Lease"/>: if the service dies, the lease
/// runs out and a resend runs afresh (until then it gets 409 <c>idempotency-in-progress</c> with Retry-After). Records are kept for
/// <see cref="IdempotencyOptions.Retention"/> from the first request; after that the key is free again
/// (<see cref="IdempotencyPurger"/> deletes expired records in the background).
/// </summary>
public sealed partial class IdempotencyMiddleware(RequestDelegate next, IdempotencyRepository records, TimeProvider clock, GatewayMetrics metrics, LedgerExceptionHandler errors,
    IOptions<ServiceOptions> options, ILogger<IdempotencyMiddleware> logger)
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

        var o = options.Value.Idempotency;
        var now = clock.GetUtcNow();
        var holder = Guid.NewGuid().ToString("N");
        if (!await records.TryClaimAsync(principal, key, requestHash, holder, now, now + o.Lease, now - o.Retention, ct))
        {
            await AnswerRepeatAsync(context, await records.FindAsync(principal, key, ct), requestHash);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        using var running = new CancellationTokenSource();
        var heartbeat = RenewWhileRunningAsync(principal, key, holder, running.Token);
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
            await StopAsync(running, heartbeat);
            var status = context.Response.StatusCode;
            if (status >= 500) await records.ReleaseAsync(principal, key, holder, CancellationToken.None);
            else await records.CompleteAsync(principal, key, holder, status, context.Response.ContentType, Encoding.UTF8.GetString(buffer.ToArray()),
                context.Response.Headers.Location.FirstOrDefault(), CancellationToken.None);
        }
        catch
        {
            await StopAsync(running, heartbeat);
            await records.ReleaseAsync(principal, key, holder, CancellationToken.None);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
    }

    /// <summary>Renews the claim's lease every third of its length until the request is done, so that only a dead request loses its key.</summary>
    private async Task RenewWhileRunningAsync(string principal, string key, string holder, CancellationToken done)
    {
        var lease = options.Value.Idempotency.Lease;
        using var timer = new PeriodicTimer(lease / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                try
                {
                    if (!await records.RenewAsync(principal, key, holder, clock.GetUtcNow() + lease, done)) LogLeaseLost(principal);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRenewFailed(e, principal); // the next tick tries again; the lease is three ticks long
                }
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
    }

    private static async Task StopAsync(CancellationTokenSource running, Task heartbeat)
    {
        if (running.IsCancellationRequested) return;
        await running.CancelAsync();
        await heartbeat;
    }

    [LoggerMessage(LogLevel.Warning, "The Idempotency-Key claim of {Principal} was taken over while its request still ran (its lease had run out)")]
    private partial void LogLeaseLost(string principal);

    [LoggerMessage(LogLevel.Warning, "Renewing the Idempotency-Key lease of {Principal} failed; trying again")]
    private partial void LogRenewFailed(Exception error, string principal);

    private async Task AnswerRepeatAsync(HttpContext context, IdempotencyRecord? record, string requestHash)
    {
        if (record is null)
        {
            // Released between our claim attempt and the read: the first request failed; the client may retry.
            context.Response.Headers.RetryAfter = "1";
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
            context.Response.Headers.RetryAfter = "1";
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
