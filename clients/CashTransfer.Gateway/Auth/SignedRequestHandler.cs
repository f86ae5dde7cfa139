using Fabric.Ecdsa;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using CashTransfer.Gateway.Options;
using CashTransfer.Api.Signing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using CashTransfer.Gateway.Api;
using CashTransfer.Gateway.Hosting;

namespace CashTransfer.Gateway.Auth;

/// <summary>
/// Authenticates signed requests (see <see cref="RequestSignature"/>): the key id names a known client, the
/// timestamp is within the allowed clock skew, and the ECDSA signature over method, path, time, Idempotency-Key
/// and body hash verifies with the client's key, and a terminal is not suspended. When the client announces the body's hash
/// (<see cref="RequestSignature.ContentHashHeader"/>), all of that is decided before the body is read; the body is then
/// spooled (<see cref="RequestBodySpool"/>) and must match the announced hash. A replayed mutating request is harmless: its Idempotency-Key is
/// signed, so it only gets the stored response back.
/// </summary>
public sealed class SignedRequestHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ClientDirectory directory,
    RequestBodySpool spool,
    IOptions<ServiceOptions> gatewayOptions,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "CashTransferSignature";

    /// <summary>Where the body's SHA-256 is kept for later middleware (idempotency) once computed.</summary>
    public const string BodyHashItem = "cashtransfer/body-sha256";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers;
        string? keyId = headers[RequestSignature.KeyIdHeader], timestamp = headers[RequestSignature.TimestampHeader], signature = headers[RequestSignature.SignatureHeader];
        if (string.IsNullOrEmpty(keyId) && string.IsNullOrEmpty(signature)) return AuthenticateResult.NoResult();
        if (string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
            return AuthenticateResult.Fail($"A signed request needs the {RequestSignature.KeyIdHeader}, {RequestSignature.TimestampHeader} and {RequestSignature.SignatureHeader} headers.");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs))
            return AuthenticateResult.Fail("The timestamp must be Unix time in milliseconds.");
        var skew = (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(unixMs, 0, 253402300799999))).Duration();
        if (skew > gatewayOptions.Value.Intake.MaxClockSkew)
            return AuthenticateResult.Fail($"The request's timestamp is {skew.TotalSeconds:0} s away from the gateway's clock; check the client's clock.");

        var client = await directory.FindAsync(keyId, Context.RequestAborted);
        if (client is null) return AuthenticateResult.Fail($"No client is registered with key id '{keyId}'.");
        using var key = EcdsaKeys.TryImportPem(client.PublicKeyPem);
        if (key is null) return AuthenticateResult.Fail($"The registered key of '{keyId}' is not an ECDSA key.");
        byte[] signatureBytes;
        try { signatureBytes = Convert.FromBase64String(signature); }
        catch (FormatException) { return AuthenticateResult.Fail("The signature is not base64."); }
        bool Verifies(byte[] bodyHash) => Fabric.Ecdsa.EcdsaSignatures.Verify(key, RequestSignature.CanonicalBytes(Request.Method, SignedPathAndQuery(),
            unixMs, headers[RequestSignature.IdempotencyKeyHeader].FirstOrDefault(), bodyHash), signatureBytes);
        var badSignature = $"The request signature does not verify with the key of '{keyId}'.";

        // With the body's hash announced, the signature is checked before a byte of the body is read; the body is then
        // spooled and must match that hash. Without it, only a small body is read to compute the hash.
        var announced = headers[RequestSignature.ContentHashHeader].FirstOrDefault();
        byte[]? claimedHash = null;
        if (announced is not null)
        {
            claimedHash = announced.Length == 64 ? TryHex(announced) : null;
            if (claimedHash is null) return AuthenticateResult.Fail($"{RequestSignature.ContentHashHeader} must be the body's SHA-256 in 64 hex characters.");
            if (!Verifies(claimedHash)) return AuthenticateResult.Fail(badSignature);
        }
        if (client.Suspended)
        {
            Context.Items[RefusalItem] = Refusal.TerminalSuspended;
            return AuthenticateResult.Fail($"Terminal '{client.TerminalId}' is suspended: it is locked out until an operator of its agency reactivates it.");
        }

        var limit = Context.Items[RequestBodyLimit.LimitItem] as long? ?? RequestBodyLimit.LimitOf(Context, gatewayOptions.Value.Intake);
        var unhashedLimit = gatewayOptions.Value.Intake.MaxUnhashedBodyBytes;
        if (claimedHash is null && Request.ContentLength > unhashedLimit) return AuthenticateResult.Fail(UnhashedTooLarge(unhashedLimit));
        Stream body;
        byte[] hash;
        try
        {
            (body, hash) = await spool.CaptureAsync(Context, claimedHash is null ? Math.Min(limit, unhashedLimit) : limit, Context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && claimedHash is null && unhashedLimit < limit)
        {
            return AuthenticateResult.Fail(UnhashedTooLarge(unhashedLimit));
        }
        Request.Body = body;
        Context.Items[BodyHashItem] = hash;
        if (claimedHash is not null && !CryptographicOperations.FixedTimeEquals(hash, claimedHash))
            return AuthenticateResult.Fail($"The body does not match the SHA-256 in {RequestSignature.ContentHashHeader}.");
        if (claimedHash is null && !Verifies(hash)) return AuthenticateResult.Fail(badSignature);

        var claims = new List<Claim>
        {
            new(ClientClaims.KeyId, client.KeyId),
            new(ClaimTypes.Role, client.Role.ToString()),
            new(ClientClaims.Agency, client.AgencyMsp),
        };
        if (client.TerminalId is not null) claims.Add(new Claim(ClientClaims.TerminalId, client.TerminalId));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClientClaims.KeyId, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private static string UnhashedTooLarge(long limit) =>
        $"A body over {limit} bytes must announce its SHA-256 in the signed {RequestSignature.ContentHashHeader} header (SigningHandler sends it).";

    private static byte[]? TryHex(string hex)
    {
        try { return Convert.FromHexString(hex); }
        catch (FormatException) { return null; }
    }

    /// <summary>Why authentication refused a request whose signature was fine, for the answer.</summary>
    private enum Refusal { TerminalSuspended }

    private const string RefusalItem = "cashtransfer/auth-refusal";

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        if (Context.Items[RefusalItem] is Refusal.TerminalSuspended)
        {
            await Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Terminal suspended", failure!, "terminal-suspended");
            return;
        }
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            failure ?? $"Sign the request: send {RequestSignature.KeyIdHeader}, {RequestSignature.TimestampHeader} and {RequestSignature.SignatureHeader} (see the service README).",
            "authentication-failed");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Not allowed for this role",
            $"Client '{Context.User.FindFirstValue(ClientClaims.KeyId)}' with role {Context.User.FindFirstValue(ClaimTypes.Role)} may not call this endpoint.");

    /// <summary>
    /// The path and query exactly as the client sent them (the request target): the signature covers the client's own
    /// percent-encoding (a ':' in a redemption id sent as %3A), which PathString would re-encode its own way.
    /// </summary>
    private string SignedPathAndQuery()
    {
        var raw = Context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        return !string.IsNullOrEmpty(raw) && raw[0] == '/' ? raw : Request.PathBase + Request.Path + Request.QueryString;
    }
}
