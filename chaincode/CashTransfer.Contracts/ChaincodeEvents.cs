namespace CashTransfer.Contracts;

/// <summary>
/// The chaincode event each state-changing function emits (one per transaction); the payload is the changed record
/// as JSON. The gateway's projection switches on these names, so they are defined once, here.
/// </summary>
public static class ChaincodeEvents
{
    /// <summary>A programme was created; payload: the programme.</summary>
    public const string ProgrammeCreated = "ProgrammeCreated";
    /// <summary>A programme's status or retailers changed; payload: the programme.</summary>
    public const string ProgrammeUpdated = "ProgrammeUpdated";
    /// <summary>A bulk issue recorded entitlements; payload: the issue result.</summary>
    public const string EntitlementsIssued = "EntitlementsIssued";
    /// <summary>Part of a programme's budget was set aside for a bulk upload; payload: the reservation result.</summary>
    public const string BudgetReserved = "BudgetReserved";
    /// <summary>A bulk upload's reservation ended and what it did not issue returned to the budget; payload: the release.</summary>
    public const string BudgetReservationReleased = "BudgetReservationReleased";
    /// <summary>An entitlement was topped up; payload: programme, cycle and beneficiary hash.</summary>
    public const string EntitlementToppedUp = "EntitlementToppedUp";
    /// <summary>An entitlement was revoked; payload: programme, cycle and beneficiary hash.</summary>
    public const string EntitlementRevoked = "EntitlementRevoked";
    /// <summary>Expired balances of a programme cycle were reclaimed; payload: the reclaim result.</summary>
    public const string EntitlementsReclaimed = "EntitlementsReclaimed";
    /// <summary>A retailer was registered; payload: the retailer.</summary>
    public const string RetailerRegistered = "RetailerRegistered";
    /// <summary>A retailer was suspended or reactivated; payload: the retailer.</summary>
    public const string RetailerUpdated = "RetailerUpdated";
    /// <summary>A terminal was registered, suspended, reactivated or got a new key; payload: the terminal.</summary>
    public const string TerminalUpdated = "TerminalUpdated";
    /// <summary>A receipt was accepted; payload: the redemption.</summary>
    public const string RedemptionAccepted = "RedemptionAccepted";
    /// <summary>A genuine receipt was refused and the reason recorded; payload: the redemption.</summary>
    public const string RedemptionRejected = "RedemptionRejected";
    /// <summary>A redemption was reversed; payload: the redemption.</summary>
    public const string RedemptionReversed = "RedemptionReversed";
    /// <summary>An agency settled what it owed a retailer; payload: the settlement.</summary>
    public const string RetailerSettled = "RetailerSettled";
}
