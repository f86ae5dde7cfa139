using Fabric.Ecdsa;
using System.Security.Cryptography;
using CashTransfer.Gateway.Api;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>A sign-in: the challenge, the public key (SubjectPublicKeyInfo, base64) and the IEEE P1363 signature (r||s, base64) over <see cref="SignInChallenges.SignedText"/>.</summary>
public sealed record SignInRequest(string Challenge, string PublicKey, string Signature);

/// <summary>The signed-in user as the console page sees it; <c>CsrfToken</c> goes in the <c>X-CSRF-Token</c> header of every change.</summary>
public sealed record ConsoleSessionDto(string KeyId, string Role, string AgencyMsp, string CsrfToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Sign-in with the user's existing key, without the key leaving the browser: the page asks for a challenge, signs
/// it with WebCrypto (ECDSA P-256/SHA-256, IEEE P1363 format) and sends the signature with the public key. The
/// public key must be that of a configured operator or auditor; the session gets that client's role and agency.
/// </summary>
public static class SignInEndpoints
{
    public static void MapConsoleSignIn(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/console").WithTags("Console");
        group.MapPost("/challenge", (SignInChallenges challenges) => challenges.Issue() is { } challenge
            ? Results.Ok(new { challenge, domain = SignInChallenges.Domain })
            : Problems.Result(StatusCodes.Status503ServiceUnavailable, "Too many sign-ins", "Too many sign-ins are under way; try again in a minute.", "sign-in-busy"))
            .AllowAnonymous();
        group.MapPost("/session", SignInAsync).AllowAnonymous();

        var signedIn = new AuthorizationPolicyBuilder(ConsoleSessionHandler.SchemeName).RequireAuthenticatedUser().Build();
        group.MapGet("/session", (HttpContext http) => TypedResults.Ok(ToDto((ConsoleSession)http.Items[ConsoleSessionHandler.SessionItem]!)))
            .RequireAuthorization(signedIn);
        group.MapPost("/sign-out", async (HttpContext http, ConsoleSessions sessions) =>
        {
            await sessions.EndAsync((string)http.Items[ConsoleSessionHandler.SessionIdItem]!, http.RequestAborted);
            http.Response.Cookies.Delete(ConsoleSessionHandler.CookieName, CookieOptions(http, null));
            return Results.NoContent();
        }).RequireAuthorization(signedIn);
    }

    private static async Task<IResult> SignInAsync(SignInRequest body, HttpContext http, SignInChallenges challenges, ConsoleSessions sessions, IOptions<ServiceOptions> options)
    {
        if (string.IsNullOrEmpty(body.Challenge) || !challenges.TrySpend(body.Challenge))
            return Problems.Result(StatusCodes.Status401Unauthorized, "Sign-in expired", "The sign-in challenge is unknown, used or expired; start the sign-in again.", "sign-in-challenge");
        byte[] publicKey, signature;
        try { (publicKey, signature) = (Convert.FromBase64String(body.PublicKey ?? ""), Convert.FromBase64String(body.Signature ?? "")); }
        catch (FormatException) { return Problems.Result(StatusCodes.Status400BadRequest, "Malformed sign-in", "The public key and signature must be base64.", "sign-in-invalid"); }

        var client = FindClient(options.Value.Clients, publicKey);
        if (client is null)
            return Problems.Result(StatusCodes.Status401Unauthorized, "Key not known",
                "This key is not registered with the service as an operator or auditor key. Pick your own key file (PKCS#8 PEM) or ask the service's administrator to add its public key.", "sign-in-unknown-key");
        using (var key = EcdsaKeys.TryImportPem(client.PublicKeyPem)!)
            if (!key.VerifyData(SignInChallenges.SignedText(body.Challenge), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                return Problems.Result(StatusCodes.Status401Unauthorized, "Signature does not verify", $"The challenge's signature does not verify with the key of '{client.KeyId}'.", "sign-in-signature");

        if (await sessions.StartAsync(client.KeyId, client.Role, client.AgencyMsp, http.RequestAborted) is not var (sessionId, session))
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, "Too many sessions", "Too many console sessions are open; try again later.", "sign-in-busy");
        http.Response.Cookies.Append(ConsoleSessionHandler.CookieName, sessionId, CookieOptions(http, session.ExpiresAt));
        return Results.Ok(ToDto(session));
    }

    /// <summary>The configured operator or auditor with this public key (compared in canonical form), or null.</summary>
    private static ClientOptions? FindClient(IEnumerable<ClientOptions> clients, byte[] subjectPublicKeyInfo)
    {
        byte[] sent;
        using (var key = EcdsaKeys.TryImportSubjectPublicKeyInfo(subjectPublicKeyInfo))
        {
            if (key is null) return null;
            sent = key.ExportSubjectPublicKeyInfo();
        }
        foreach (var client in clients.Where(c => c.Role is ClientRole.Operator or ClientRole.Auditor))
        {
            using var known = EcdsaKeys.TryImportPem(client.PublicKeyPem);
            if (known is not null && CryptographicOperations.FixedTimeEquals(known.ExportSubjectPublicKeyInfo(), sent)) return client;
        }
        return null;
    }

    /// <summary>HttpOnly (scripts cannot read it), SameSite=Strict (no other site's page sends it), Secure under TLS.</summary>
    private static CookieOptions CookieOptions(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/", Expires = expires, IsEssential = true,
    };

    private static ConsoleSessionDto ToDto(ConsoleSession s) => new(s.KeyId, s.Role.ToString(), s.AgencyMsp, s.CsrfToken, s.ExpiresAt);
}
