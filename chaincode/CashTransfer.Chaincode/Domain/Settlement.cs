using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

/// <summary>An agency's request to settle what it owes a retailer for redemptions recorded up to the cut-off.</summary>
public sealed record SettlementRequest(string SettlementId, string RetailerId, DateTimeOffset CutOff, string PaymentReference);

/// <summary>
/// A recorded settlement: the off-chain payment reference, the totals per currency and the redemptions it paid.
/// The payable deltas it paid are removed, so no payable can be settled twice.
/// </summary>
public sealed record Settlement(
    string SettlementId,
    string AgencyMsp,
    string RetailerId,
    DateTimeOffset CutOff,
    string PaymentReference,
    IReadOnlyList<Money> Totals,
    IReadOnlyList<string> RedemptionIds,
    DateTimeOffset SettledAt,
    string TxId);
