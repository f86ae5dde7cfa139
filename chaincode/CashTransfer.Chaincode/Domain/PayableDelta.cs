using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// What one agency owes one retailer for one redemption. One key per redemption, agency and retailer (never a
/// running balance, which would be a hot key); settlement sums and removes them, reversal removes them.
/// </summary>
public sealed record PayableDelta(
    string RetailerId,
    string AgencyMsp,
    string RedemptionId,
    Money Amount,
    DateTimeOffset RecordedAt,
    IReadOnlyList<Allocation> Allocations);
