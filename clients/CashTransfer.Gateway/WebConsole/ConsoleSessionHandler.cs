using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CashTransfer.Gateway.Api;
using CashTransfer.Gateway.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>
/// Authenticates the web console's requests by their session cookie, with the same claims a signed request of the
/// same key gets, so every <c>/api</c> policy applies unchanged. A change (any method but GET, HEAD, OPTIONS) must
/// also carry the session's CSRF token in <see cref="CsrfHeader"/>: a page on another site can make the browser send
/// the cookie, but it cannot read the token.
/// </summary>
public sealed class ConsoleSessionHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ConsoleSessions sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "CashTransferConsole";
    public const string CookieName = "cashtransfer-console";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>The session id of the request, kept for sign-out.</summary>
    public const string SessionIdItem = "cashtransfer/console-session-id";

    /// <summary>The request's <see cref="ConsoleSession"/>, as read once by the authentication.</summary>
    public const string SessionItem = "cashtransfer/console-session";

    private const string CsrfFailure = "This change carries no valid CSRF token: send the session's token in the " + CsrfHeader + " header (the console does this for you; reload the page).";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var sessionId = Request.Cookies[CookieName];
        if (string.IsNullOrEmpty(sessionId)) return AuthenticateResult.NoResult();
        var session = await sessions.FindAsync(sessionId, Context.RequestAborted);
        if (session is null) return AuthenticateResult.Fail("Your console session has ended; sign in again with your key.");
        if (!IsSafe(Request.Method) && !CsrfTokenMatches(Request.Headers[CsrfHeader].FirstOrDefault(), session.CsrfToken))
            return AuthenticateResult.Fail(CsrfFailure);

        Context.Items[SessionIdItem] = sessionId;
        Context.Items[SessionItem] = session;
        var claims = new List<Claim>
        {
            new(ClientClaims.KeyId, session.KeyId),
            new(ClaimTypes.Role, session.Role.ToString()),
            new(ClientClaims.Agency, session.AgencyMsp),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClientClaims.KeyId, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        if (failure == CsrfFailure)
            await Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "CSRF token missing or wrong", failure, "csrf-token-invalid");
        else
            await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Sign-in required", failure ?? "Sign in to the console with your key.", "session-required");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Not allowed for this role",
            $"'{Context.User.FindFirstValue(ClientClaims.KeyId)}' signed in as {Context.User.FindFirstValue(ClaimTypes.Role)} may not do this.", "role-forbidden");

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static bool CsrfTokenMatches(string? sent, string expected) =>
        sent is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected));
}
