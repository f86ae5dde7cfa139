namespace CashTransfer.Api;

// Answers that the service puts together from several ledger queries or its read model (the programme list, the
// console's dashboards), as opposed to the chaincode's records passed on (LedgerRecords).

/// <summary>A programme, its owner and status, and how much of its budget cap has been issued as entitlements (minor units).</summary>
public sealed record ProgrammeBudgetDto(string ProgrammeId, string Currency, string Status, DateTimeOffset ValidUntil, long BudgetMinor, long IssuedMinor, string OwnerMsp);

/// <summary>What a retailer is still owed and what it has been paid, in one currency (minor units).</summary>
public sealed record RetailerBalanceDto(string RetailerId, string Currency, long PayableMinor, long SettledMinor);

/// <summary>Redemptions of one programme on one day (UTC): how many drew on it and how much they drew.</summary>
public sealed record DailyRedemptionsDto(DateOnly Day, string ProgrammeId, string Currency, long Redemptions, long AmountMinor);
