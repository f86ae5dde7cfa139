using FabricGateway = Fabric.Client.Gateway;

namespace CashTransfer.Gateway.Ledger.Fabric;

/// <summary>A connected Fabric.Client gateway for each identity the service acts with (agency MSP id and role).</summary>
public interface IFabricIdentities
{
    /// <exception cref="InvalidOperationException">No identity is configured for the caller.</exception>
    FabricGateway For(LedgerCaller caller);
}
