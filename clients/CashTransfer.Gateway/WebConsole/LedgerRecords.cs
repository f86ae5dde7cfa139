using CashTransfer.Contracts;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>The budget part of the ledger's ProgrammeTotals (<c>Query:GetProgrammeTotals</c>).</summary>
public sealed record ProgrammeBudgetRecord(string ProgrammeId, string Currency, long BudgetMinor, long BudgetIssuedMinor);

/// <summary>A recorded settlement (<c>Query:GetSettlementsByRetailer</c>): its totals per currency.</summary>
public sealed record SettlementTotalsRecord(string SettlementId, string AgencyMsp, string RetailerId, IReadOnlyList<Money> Totals);
