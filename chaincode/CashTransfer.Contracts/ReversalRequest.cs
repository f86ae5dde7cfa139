using System.Text.Json.Serialization;

namespace CashTransfer.Contracts;

/// <summary>
/// A retailer's request, made at one of its terminals, to reverse an accepted redemption (goods returned, a
/// cashier's mistake); the chaincode's <c>Redemption:ReverseByRetailer</c> takes it signed (<see cref="SignedReversal"/>)
/// and honours it only within the retailer's reversal window. The reason travels as text, so that an unknown code can be
/// refused with a clear error instead of failing to parse; <see cref="ReversalReasons"/> checks it.
/// </summary>
/// <param name="RedemptionId">The redemption to reverse.</param>
/// <param name="TerminalId">The terminal that signs the request.</param>
/// <param name="Reason">One of <see cref="ReversalReasons.All"/>.</param>
/// <param name="TerminalTimeUnixMs">The terminal's clock when the request was made, Unix milliseconds.</param>
[method: JsonConstructor]
public sealed record ReversalRequest(string RedemptionId, string TerminalId, string Reason, long TerminalTimeUnixMs)
{
    /// <summary>A request with one of the known reason codes.</summary>
    public ReversalRequest(string redemptionId, string terminalId, ReversalReason reason, long terminalTimeUnixMs)
        : this(redemptionId, terminalId, reason.ToString(), terminalTimeUnixMs)
    {
    }
}
