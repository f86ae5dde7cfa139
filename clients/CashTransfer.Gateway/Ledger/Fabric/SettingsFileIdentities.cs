using System.Collections.Concurrent;
using Fabric.Client.Configuration;
using FabricGateway = Fabric.Client.Gateway;

namespace CashTransfer.Gateway.Ledger.Fabric;

/// <summary>Opens one gateway connection per configured identity, on first use, from its Fabric.Client settings file.</summary>
public sealed class SettingsFileIdentities(FabricLedgerOptions options) : IFabricIdentities, IDisposable
{
    private readonly ConcurrentDictionary<LedgerCaller, Lazy<GatewayConnection>> _connections = new();

    public FabricGateway For(LedgerCaller caller) => _connections.GetOrAdd(caller, c => new Lazy<GatewayConnection>(() =>
    {
        var configured = options.Identities.FirstOrDefault(i => i.AgencyMsp == c.AgencyMsp && i.Role == c.FabricRole)
            ?? throw new InvalidOperationException($"No Fabric identity is configured for {c.AgencyMsp} with role {c.FabricRole} (CashTransfer:Ledger:Identities).");
        return GatewayConnection.Open(GatewaySettings.Load(configured.SettingsFile));
    })).Value.Gateway;

    public void Dispose()
    {
        foreach (var connection in _connections.Values.Where(l => l.IsValueCreated)) connection.Value.Dispose();
    }
}
