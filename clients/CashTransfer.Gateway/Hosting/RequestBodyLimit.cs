using CashTransfer.Gateway.Api;
using CashTransfer.Gateway.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Hosting;

/// <summary>
/// Refuses an oversized body at the edge, before authentication reads it: 413 <c>body-too-large</c>, an answer that is
/// stored with its Idempotency-Key like any other 4xx (a 5xx would free the key and invite endless retries). The limit
/// is the endpoint's <see cref="IRequestSizeLimitMetadata"/> (entitlement uploads) or <see cref="IntakeOptions.MaxBodyBytes"/>,
/// which keeps every field far below what a peer accepts in one message. A body without a Content-Length is
/// counted while it is read (<see cref="Auth.RequestBodySpool"/>).
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IOptions<ServiceOptions> options)
{
    /// <summary>Where the limit for this request is kept for the code that reads the body.</summary>
    public const string LimitItem = "cashtransfer/body-limit";

    public Task InvokeAsync(HttpContext context)
    {
        var limit = LimitOf(context);
        context.Items[LimitItem] = limit;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit)
        {
            context.Response.Headers.Connection = "close"; // the body is not read
            return Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"This endpoint accepts bodies of at most {limit} bytes; this one has {context.Request.ContentLength}.", "body-too-large");
        }
        return next(context);
    }

    public static long LimitOf(HttpContext context, IntakeOptions intake) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? intake.MaxBodyBytes;

    private long LimitOf(HttpContext context) => LimitOf(context, options.Value.Intake);
}
