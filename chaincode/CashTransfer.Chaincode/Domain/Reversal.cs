using System.Text.Json.Serialization;

namespace CashTransfer.Chaincode.Domain;

/// <summary>Why a redemption is reversed: a code, never free text.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReversalReason>))]
public enum ReversalReason { GoodsReturned, CashierError, DuplicateSale, Fraud, Other }

[JsonConverter(typeof(JsonStringEnumConverter<ReversalAuthority>))]
public enum ReversalAuthority { Retailer, OwningAgency }

/// <summary>A retailer's request to reverse a redemption, signed by one of its terminals (see docs/receipt-encoding.md).</summary>
public sealed record ReversalRequest(string RedemptionId, string TerminalId, ReversalReason Reason, long TerminalTimeUnixMs);

public sealed record SignedReversal(ReversalRequest Request, string Signature);

/// <summary>How a redemption was reversed: by whom, when and why.</summary>
public sealed record Reversal(ReversalAuthority By, string ActorId, ReversalReason Reason, DateTimeOffset ReversedAt, string TxId);
