using System.Text.Json.Serialization;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<ReversalAuthority>))]
public enum ReversalAuthority { Retailer, OwningAgency }

/// <summary>How a redemption was reversed: by whom, when and why.</summary>
public sealed record Reversal(ReversalAuthority By, string ActorId, ReversalReason Reason, DateTimeOffset ReversedAt, string TxId);
