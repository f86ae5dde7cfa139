using System.Security.Claims;
using CashTransfer.Gateway.Ledger;

namespace CashTransfer.Gateway.Auth;

/// <summary>The claims a signed request carries once verified, and how to read them back.</summary>
public static class ClientClaims
{
    public const string KeyId = "cashtransfer/key-id";
    public const string Agency = "cashtransfer/agency";
    public const string TerminalId = "cashtransfer/terminal-id";

    public static string KeyIdOf(ClaimsPrincipal user) => user.FindFirstValue(KeyId) ?? throw new InvalidOperationException("The request is not authenticated.");

    public static string AgencyOf(ClaimsPrincipal user) => user.FindFirstValue(Agency) ?? throw new InvalidOperationException("The request is not authenticated.");

    public static string? TerminalIdOf(ClaimsPrincipal user) => user.FindFirstValue(TerminalId);

    public static ClientRole RoleOf(ClaimsPrincipal user) => Enum.Parse<ClientRole>(user.FindFirstValue(ClaimTypes.Role) ?? throw new InvalidOperationException("The request is not authenticated."));

    /// <summary>The Fabric identity this request acts with.</summary>
    public static LedgerCaller LedgerCallerOf(ClaimsPrincipal user) => LedgerCaller.For(RoleOf(user), AgencyOf(user));
}

/// <summary>Authorization policy names: one per role. Every API endpoint requires one.</summary>
public static class Policies
{
    public const string Operator = nameof(ClientRole.Operator);
    public const string Auditor = nameof(ClientRole.Auditor);
    public const string Terminal = nameof(ClientRole.Terminal);
}
