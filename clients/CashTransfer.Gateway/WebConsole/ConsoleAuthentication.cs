using CashTransfer.Gateway.Auth;
using CashTransfer.Api.Signing;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>
/// The service's default authentication scheme once the console is added: it forwards each request to the scheme
/// that fits it. A request with signature headers is a signed request, whatever cookies it carries; otherwise a
/// request with the console's cookie is a console request; anything else is answered as the signed-request scheme
/// answers (its 401 says how to sign).
/// </summary>
public static class ConsoleAuthentication
{
    public const string SelectorScheme = "CashTransfer";

    public static string SchemeFor(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.ContainsKey(RequestSignature.KeyIdHeader) || headers.ContainsKey(RequestSignature.SignatureHeader)) return SignedRequestHandler.SchemeName;
        return context.Request.Cookies.ContainsKey(ConsoleSessionHandler.CookieName) ? ConsoleSessionHandler.SchemeName : SignedRequestHandler.SchemeName;
    }
}
