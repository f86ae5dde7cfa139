using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Auth;

/// <summary>A client that may call the gateway: who it is, its role and agency, and the key its requests are signed with.</summary>
public sealed record KnownClient(string KeyId, ClientRole Role, string AgencyMsp, string PublicKeyPem, string? TerminalId, bool Suspended = false);

/// <summary>
/// Looks up request-signing keys: operators and auditors from configuration, terminals from the registered
/// terminals (their receipt-signing key, used with a different domain tag).
/// </summary>
public sealed class ClientDirectory(IOptions<ServiceOptions> options, TerminalRepository terminals)
{
    private const string TerminalPrefix = "terminal/";

    public async Task<KnownClient?> FindAsync(string keyId, CancellationToken ct)
    {
        if (keyId.StartsWith(TerminalPrefix, StringComparison.Ordinal))
        {
            var terminalId = keyId[TerminalPrefix.Length..];
            var terminal = await terminals.FindAsync(terminalId, ct);
            return terminal is null ? null : new KnownClient(keyId, ClientRole.Terminal, options.Value.AgencyMsp, terminal.PublicKeyPem, terminalId,
                Suspended: terminal.Status == "Suspended");
        }
        var configured = options.Value.Clients.FirstOrDefault(c => c.KeyId == keyId && c.Role != ClientRole.Terminal);
        return configured is null ? null : new KnownClient(configured.KeyId, configured.Role, configured.AgencyMsp, configured.PublicKeyPem, null);
    }
}
