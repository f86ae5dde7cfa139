using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CashTransfer.Gateway.Api;

/// <summary>
/// Error responses as RFC 9457 problem details. <c>type</c> names the kind of problem in the
/// <c>urn:cashtransfer:problem:</c> namespace so that clients (the POS SDK) can act on it.
/// </summary>
public static class Problems
{
    public const string TypePrefix = CashTransfer.Api.ProblemTypes.Prefix;

    public static ProblemDetails Create(int status, string title, string detail, string? type = null, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = type is null ? null : TypePrefix + type };
        if (extensions is not null)
            foreach (var (k, v) in extensions) problem.Extensions[k] = v;
        return problem;
    }

    public static ProblemHttpResult Result(int status, string title, string detail, string? type = null, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(Create(status, title, detail, type, extensions));

    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string? type = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(Create(status, title, detail, type), (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
