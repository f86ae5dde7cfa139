using System.Net;
using System.Text.Json;

namespace CashTransfer.Api.Client;

/// <summary>
/// The service answered with an error: the HTTP status and the RFC 9457 problem details it sent (type, title,
/// detail, extensions). Subclasses name the kinds a caller treats differently; <see cref="For"/> picks one.
/// </summary>
public class ServiceProblemException(HttpStatusCode status, string? problemType, string title, string detail, IReadOnlyDictionary<string, JsonElement> extensions, string advice)
    : CashTransferApiException($"{(int)status} {title}: {detail}", advice)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem's <c>type</c>, e.g. <c>urn:cashtransfer:problem:ledger-not-found</c> (see <see cref="ProblemTypes"/>); null when none was sent.</summary>
    public string? ProblemType { get; } = problemType;

    public string Title { get; } = title;
    public string Detail { get; } = detail;

    /// <summary>Further members of the problem (e.g. <c>receipts</c>, <c>expectedSequence</c>).</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; } = extensions;

    /// <summary>
    /// A 5xx or 429, or a request whose Idempotency-Key is still held by an earlier attempt (a crashed service's claim
    /// runs out): the same call, with the same key, may succeed later.
    /// </summary>
    public override bool IsTransient => (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests || ProblemType == ProblemTypes.IdempotencyInProgress;

    /// <summary>The exception for a status and problem: the kind a caller can catch, with advice for a person.</summary>
    public static ServiceProblemException For(HttpStatusCode status, string? type, string title, string detail, IReadOnlyDictionary<string, JsonElement> extensions) => (int)status switch
    {
        400 or 415 or 422 => new InvalidRequestException(status, type, title, detail, extensions),
        401 => new AuthenticationFailedException(status, type, title, detail, extensions),
        403 => new NotAllowedException(status, type, title, detail, extensions),
        404 => new NotFoundException(status, type, title, detail, extensions),
        409 => new ConflictException(status, type, title, detail, extensions),
        502 or 503 or 504 or 429 => new ServiceUnavailableException(status, type, title, detail, extensions),
        _ => new ServiceProblemException(status, type, title, detail, extensions, "This looks like a fault in the service; report it with the message above."),
    };
}

/// <summary>The request was refused as malformed (400, 415, 422): fix what the detail names and send it again.</summary>
public sealed class InvalidRequestException(HttpStatusCode status, string? type, string title, string detail, IReadOnlyDictionary<string, JsonElement> extensions)
    : ServiceProblemException(status, type, title, detail, extensions, "Correct the request as the message says and send it again; nothing was changed.");

/// <summary>The request's signature was not accepted (401): unknown key id, wrong key, or a clock too far off.</summary>
public sealed class AuthenticationFailedException(HttpStatusCode status, string? type, string title, string detail, IReadOnlyDictionary<string, JsonElement> extensions)
    : ServiceProblemException(status, type, title, detail, extensions,
        "Check the profile's key id and key file (the service must know this key id) and this machine's clock.");

/// <summary>The caller's role or agency may not do this (403).</summary>
public sealed class NotAllowedException(HttpStatusCode status, string? type, string title, string detail, IReadOnlyDictionary<string, JsonElement> extensions)
    : ServiceProblemException(status, type, title, detail, extensions,
        "Use a profile whose role (operator or auditor) and agency may do this, e.g. the agency that owns the programme.");

/// <summary>What the request names does not exist (404).</summary>
public sealed class NotFoundException(HttpStatusCode status, string? type, string title, string detail, IReadOnlyDictionary<string, JsonElement> extensions)
    : ServiceProblemException(status, type, title, detail, extensions, "Check the id (ids are case-sensitive); list what exists with the matching list command.");

/// <summary>The request conflicts with what the ledger or the service holds (409): already done, or a replayed receipt.</summary>
public sealed class ConflictException(HttpStatusCode status, string? type, string title, string detail, IReadOnlyDictionary<string, JsonElement> extensions)
    : ServiceProblemException(status, type, title, detail, extensions, "It conflicts with what is recorded (often: already done); read the record before trying anything else.");

/// <summary>The service or its ledger is unavailable (502, 503, 504, 429), after the client's retries.</summary>
public sealed class ServiceUnavailableException(HttpStatusCode status, string? type, string title, string detail, IReadOnlyDictionary<string, JsonElement> extensions)
    : ServiceProblemException(status, type, title, detail, extensions, "The service or the ledger is busy or down; try again in a minute. A repeat with the same Idempotency-Key does nothing twice.");
