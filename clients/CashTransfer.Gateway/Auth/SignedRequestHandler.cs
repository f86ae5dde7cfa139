using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using CashTransfer.Gateway.Options;
using CashTransfer.Api.Signing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using CashTransfer.Gateway.Api;

namespace CashTransfer.Gateway.Auth;

/// <summary>
/// Authenticates signed requests (see <see cref="RequestSignature"/>): the key id names a known client, the
/// timestamp is within the allowed clock skew, and the ECDSA signature over method, path, time, Idempotency-Key
/// and body hash verifies with the client's key. A replayed mutating request is harmless: its Idempotency-Key is
/// signed, so it only gets the stored response back.
/// </summary>
public sealed class SignedRequestHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ClientDirectory directory,
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
        using var key = ClientDirectory.ImportKey(client.PublicKeyPem);
        if (key is null) return AuthenticateResult.Fail($"The registered key of '{keyId}' is not an ECDSA key.");

        byte[] bodyHash = await BodyHashAsync();
        var canonical = RequestSignature.CanonicalBytes(Request.Method, Request.PathBase + Request.Path + Request.QueryString, unixMs,
            headers[RequestSignature.IdempotencyKeyHeader].FirstOrDefault(), bodyHash);
        byte[] signatureBytes;
        try { signatureBytes = Convert.FromBase64String(signature); }
        catch (FormatException) { return AuthenticateResult.Fail("The signature is not base64."); }
        if (!P256Signatures.Verify(key, canonical, signatureBytes))
            return AuthenticateResult.Fail($"The request signature does not verify with the key of '{keyId}'.");

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

    private async Task<byte[]> BodyHashAsync()
    {
        Request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
        while ((read = await Request.Body.ReadAsync(buffer, Context.RequestAborted)) > 0) sha.AppendData(buffer, 0, read);
        Request.Body.Position = 0;
        var hash = sha.GetHashAndReset();
        Context.Items[BodyHashItem] = hash;
        return hash;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            failure ?? $"Sign the request: send {RequestSignature.KeyIdHeader}, {RequestSignature.TimestampHeader} and {RequestSignature.SignatureHeader} (see the service README).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Not allowed for this role",
            $"Client '{Context.User.FindFirstValue(ClientClaims.KeyId)}' with role {Context.User.FindFirstValue(ClaimTypes.Role)} may not call this endpoint.");
}
