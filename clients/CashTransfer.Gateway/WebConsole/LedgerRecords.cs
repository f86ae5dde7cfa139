using CashTransfer.Contracts;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>The part of the ledger's Programme record (ProgrammeCreated/ProgrammeUpdated events) that the console lists.</summary>
public sealed record ProgrammeRecord(string ProgrammeId, string OwnerMsp, string Currency, long BudgetMinor, DateTimeOffset ValidUntil, string Status);

/// <summary>The part of the ledger's Retailer record (RetailerRegistered events) that the console lists.</summary>
public sealed record RetailerRecord(string RetailerId, string RegisteredBy, string Status);

/// <summary>The budget part of the ledger's ProgrammeTotals (<c>Query:GetProgrammeTotals</c>).</summary>
public sealed record ProgrammeBudgetRecord(string ProgrammeId, string Currency, long BudgetMinor, long BudgetIssuedMinor);

/// <summary>A recorded settlement (<c>Query:GetSettlementsByRetailer</c>): its totals per currency.</summary>
public sealed record SettlementTotalsRecord(string SettlementId, string AgencyMsp, string RetailerId, IReadOnlyList<Money> Totals);
