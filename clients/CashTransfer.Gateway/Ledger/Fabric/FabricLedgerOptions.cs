namespace CashTransfer.Gateway.Ledger.Fabric;

/// <summary>
/// The Fabric network (section <c>CashTransfer:Ledger</c>, with <c>Provider = Fabric</c>): channel, chaincode, and
/// one Fabric.Client settings file (JSON or YAML: peer endpoint, TLS, MSP folder) per agency and role.
/// </summary>
public sealed class FabricLedgerOptions
{
    /// <summary><c>Fabric</c> to use a Fabric network; anything else leaves the ledger unconfigured.</summary>
    public string? Provider { get; set; }
    public string Channel { get; set; } = "cashtransfer";
    public string Chaincode { get; set; } = "cashtransfer";
    public List<FabricIdentityOptions> Identities { get; set; } = [];
}

/// <summary>The settings file of the identity an agency's role acts with, e.g. Org1MSP / operator / org1-operator.yaml.</summary>
public sealed class FabricIdentityOptions
{
    public string AgencyMsp { get; set; } = "";
    /// <summary>operator, auditor or gateway: the identity's <c>cashtransfer.role</c> attribute.</summary>
    public string Role { get; set; } = "";
    public string SettingsFile { get; set; } = "";
}
