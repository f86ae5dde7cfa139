namespace CashTransfer.Gateway.Ledger;

/// <summary>The roles of the gateway's clients; each acts on the ledger with a Fabric identity whose <c>cashtransfer.role</c> attribute matches.</summary>
public enum ClientRole { Operator, Auditor, Terminal }

/// <summary>
/// The Fabric identity a ledger call is made with: the agency's (MSP id) identity for the role. Terminals have no
/// Fabric identity of their own: their receipts are submitted with the gateway identity (role <c>gateway</c>).
/// </summary>
public sealed record LedgerCaller(string AgencyMsp, string FabricRole)
{
    public static LedgerCaller For(ClientRole role, string agencyMsp) => new(agencyMsp, role switch
    {
        ClientRole.Operator => "operator",
        ClientRole.Auditor => "auditor",
        _ => "gateway",
    });
}
