namespace CashTransfer.Chaincode.Ledger;

/// <summary>The chaincode event each state-changing function emits (one per transaction); payloads are LedgerJson.</summary>
public static class EventNames
{
    public const string ProgrammeCreated = "ProgrammeCreated";
    public const string ProgrammeUpdated = "ProgrammeUpdated";
    public const string EntitlementsIssued = "EntitlementsIssued";
    public const string EntitlementToppedUp = "EntitlementToppedUp";
    public const string EntitlementRevoked = "EntitlementRevoked";
    public const string EntitlementsReclaimed = "EntitlementsReclaimed";
    public const string RetailerRegistered = "RetailerRegistered";
    public const string TerminalUpdated = "TerminalUpdated";
    public const string RedemptionAccepted = "RedemptionAccepted";
    public const string RedemptionRejected = "RedemptionRejected";
    public const string RedemptionReversed = "RedemptionReversed";
    public const string RetailerSettled = "RetailerSettled";
}
