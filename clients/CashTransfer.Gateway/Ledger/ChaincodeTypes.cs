using CashTransfer.Api;
using System.Text.Json;
using CashTransfer.Contracts;

namespace CashTransfer.Gateway.Ledger;

// What the gateway reads from the chaincode (results and event payloads), as views: only the fields the gateway uses,
// and codes (status, rejection code, outcome) as text rather than the chaincode's enums, so that a newer chaincode
// adding a code cannot stop an older gateway's projection (System.Text.Json refuses an unknown enum name).
// Everything the two sides must agree on exactly (arguments the gateway sends, event names, receipts, money, pages)
// comes from CashTransfer.Contracts; the records the API passes on to clients are in CashTransfer.Api (LedgerRecords).

/// <summary>The chaincode's function names, <c>Contract:Function</c>.</summary>
public static class ChaincodeFunctions
{
    public const string CreateProgramme = "Programme:CreateProgramme";
    public const string SetProgrammeStatus = "Programme:SetProgrammeStatus";
    public const string AllowRetailer = "Programme:AllowRetailer";
    public const string DisallowRetailer = "Programme:DisallowRetailer";
    public const string TopUpEntitlement = "Entitlement:TopUpEntitlement";
    public const string RevokeEntitlement = "Entitlement:RevokeEntitlement";
    public const string ReclaimExpired = "Entitlement:ReclaimExpired";
    public const string GetProgramme = "Query:GetProgramme";
    public const string ListProgrammes = "Query:ListProgrammes";
    public const string GetSettlementsByRetailer = "Query:GetSettlementsByRetailer";
    public const string RegisterRetailer = "Retail:RegisterRetailer";
    public const string SuspendRetailer = "Retail:SuspendRetailer";
    public const string ReactivateRetailer = "Retail:ReactivateRetailer";
    public const string RegisterTerminal = "Retail:RegisterTerminal";
    public const string SuspendTerminal = "Retail:SuspendTerminal";
    public const string ReactivateTerminal = "Retail:ReactivateTerminal";
    public const string RotateTerminalKey = "Retail:RotateTerminalKey";
    public const string IssueEntitlements = "Entitlement:IssueEntitlements";
    public const string ReserveBudget = "Entitlement:ReserveBudget";
    public const string ReleaseBudgetReservation = "Entitlement:ReleaseBudgetReservation";
    public const string Redeem = "Redemption:Redeem";
    public const string ReverseByRetailer = "Redemption:ReverseByRetailer";
    public const string ReverseByAgency = "Redemption:ReverseByAgency";
    public const string Settle = "Settlement:Settle";
    public const string CheckAssistance = "Coordination:CheckAssistance";
    public const string GetRedemption = "Query:GetRedemption";
    public const string GetTerminal = "Query:GetTerminal";
    public const string GetSettlement = "Query:GetSettlement";
    public const string GetBeneficiaryEntitlements = "Query:GetBeneficiaryEntitlements";
    public const string GetRedemptionsByTerminal = "Query:GetRedemptionsByTerminal";
    public const string GetRedemptionsByRetailer = "Query:GetRedemptionsByRetailer";
    public const string GetRedemptionsByPeriod = "Query:GetRedemptionsByPeriod";
    public const string GetPayables = "Query:GetPayables";
    public const string GetProgrammeTotals = "Query:GetProgrammeTotals";
    public const string GetHistory = "Query:GetHistory";
}

/// <summary>The event payload of entitlement changes: which programme and cycle, and the beneficiary when it is one.</summary>
public sealed record EntitlementChange(string ProgrammeId, string Cycle, string? BeneficiaryHash);

/// <summary>Chaincode arguments: records are passed as JSON text in the ledger's JSON style.</summary>
public static class ChaincodeArguments
{
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);
}
