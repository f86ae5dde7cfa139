using CashTransfer.Chaincode.Contracts;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode;

/// <summary>Every contract of the CashTransfer chaincode, as the server and the tests route to them.</summary>
public static class CashTransferContracts
{
    public static Contract[] All() =>
    [
        new QueryContract(), new ProgrammeContract(), new EntitlementContract(), new RetailContract(),
        new RedemptionContract(), new SettlementContract(), new CoordinationContract(),
    ];
}
