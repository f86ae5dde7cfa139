using System.Text.Json;
using CashTransfer.Contracts;

namespace CashTransfer.Gateway.Ledger;

// What the gateway reads from the chaincode (results and event payloads), as views: only the fields the gateway uses,
// and codes (status, rejection code, outcome) as text rather than the chaincode's enums, so that a newer chaincode
// adding a code cannot stop an older gateway's projection (System.Text.Json refuses an unknown enum name).
// Everything the two sides must agree on exactly (arguments the gateway sends, event names, receipts, money, pages)
// comes from CashTransfer.Contracts.

/// <summary>The chaincode's function names, <c>Contract:Function</c>.</summary>
public static class ChaincodeFunctions
{
    public const string CreateProgramme = "Programme:CreateProgramme";
    public const string SetProgrammeStatus = "Programme:SetProgrammeStatus";
    public const string AllowRetailer = "Programme:AllowRetailer";
    public const string RegisterRetailer = "Retail:RegisterRetailer";
    public const string RegisterTerminal = "Retail:RegisterTerminal";
    public const string SuspendTerminal = "Retail:SuspendTerminal";
    public const string ReactivateTerminal = "Retail:ReactivateTerminal";
    public const string RotateTerminalKey = "Retail:RotateTerminalKey";
    public const string IssueEntitlements = "Entitlement:IssueEntitlements";
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

public sealed record RejectionRecord(string Code, string Message);

public sealed record AllocationRecord(string ProgrammeId, string Cycle, string OwnerMsp, long AmountMinor);

/// <summary>The recorded outcome of a receipt: Accepted, Rejected (with the reason) or Reversed.</summary>
public sealed record RedemptionRecord(
    string RedemptionId,
    string TerminalId,
    string RetailerId,
    long Sequence,
    string ReceiptHash,
    string BeneficiaryHash,
    Money Amount,
    string Category,
    string Status,
    RejectionRecord? Rejection,
    IReadOnlyList<AllocationRecord>? Allocations,
    DateTimeOffset RecordedAt,
    string TxId);

public sealed record TerminalLedgerRecord(string TerminalId, string RetailerId, string PublicKeyPem, int KeyVersion, string Status, string RegisteredBy);

public sealed record EntitlementRecord(string ProgrammeId, string Cycle, string BeneficiaryHash, string OwnerMsp, string Currency, DateTimeOffset ValidUntil, long Balance, string Status);

public sealed record EntitlementChange(string ProgrammeId, string Cycle, string? BeneficiaryHash);

public sealed record SettlementRecord(string SettlementId, string AgencyMsp, string RetailerId, IReadOnlyList<string> RedemptionIds);

public sealed record GrantResultRecord(int Row, string Outcome);

public sealed record IssueResultRecord(string ProgrammeId, string Cycle, int IssuedCount, IReadOnlyList<GrantResultRecord> Rows);

/// <summary>Chaincode arguments: records are passed as JSON text in the ledger's JSON style.</summary>
public static class ChaincodeArguments
{
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, LedgerJson.Options);
}
