using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Rules;

/// <summary>A beneficiary's entitlement together with the programme it belongs to.</summary>
internal sealed record Holding(string Key, Entitlement Entitlement, Programme Programme);

/// <summary>The outcome of planning a redemption: the amounts to take from each entitlement, or why none can be taken.</summary>
internal sealed record AllocationPlan(IReadOnlyList<(Holding Holding, long Amount)> Parts, Rejection? Rejection);

/// <summary>
/// Decides which entitlements pay for a receipt (docs/allocation-rule.md).
/// Eligible: same currency, entitlement active with a balance, programme active, valid at the terminal's time,
/// retailer allowed by the programme, category allowed by the programme. The checks run in that order and the
/// first that leaves nothing eligible names the rejection. Eligible entitlements are spent in this order:
/// earliest expiry first, then programme priority (lower number first), then programme id, then cycle
/// (ordinal), each one fully before the next. A receipt is paid in full or not at all.
/// </summary>
internal static class AllocationRule
{
    public static AllocationPlan Plan(IReadOnlyList<Holding> holdings, Receipt receipt, string retailerId)
    {
        var amount = receipt.Amount;
        if (holdings.Count == 0)
            return Reject(RejectionCode.NoEntitlement, "The beneficiary holds no entitlement.");

        var stages = new (RejectionCode Code, string Message, Func<Holding, bool> Keep)[]
        {
            (RejectionCode.CurrencyMismatch, $"The beneficiary holds no entitlement in {amount.Currency}.", h => h.Entitlement.Currency == amount.Currency),
            (RejectionCode.NoActiveEntitlement, "No entitlement in that currency is active with a balance.",
                h => h.Entitlement.Status == EntitlementStatus.Active && h.Entitlement.Balance > 0 && h.Programme.Status == ProgrammeStatus.Active),
            (RejectionCode.OutsideValidityWindow, "No active entitlement is valid at the time of the sale.", h => h.Entitlement.IsValidAt(receipt.TerminalTime)),
            (RejectionCode.RetailerNotAllowed, $"Retailer {retailerId} may not serve the beneficiary's programmes.", h => h.Programme.AllowedRetailers.Contains(retailerId)),
            (RejectionCode.CategoryNotAllowed, $"The beneficiary's programmes do not pay for {receipt.Category}.", h => h.Programme.Restriction.Allows(receipt.Category)),
        };
        IEnumerable<Holding> eligible = holdings;
        foreach (var (code, message, keep) in stages)
        {
            eligible = eligible.Where(keep).ToList();
            if (!eligible.Any()) return Reject(code, message);
        }

        var ordered = eligible
            .OrderBy(h => h.Entitlement.ValidUntil)
            .ThenBy(h => h.Programme.Priority)
            .ThenBy(h => h.Programme.ProgrammeId, StringComparer.Ordinal)
            .ThenBy(h => h.Entitlement.Cycle, StringComparer.Ordinal)
            .ToList();
        if (!Covers(ordered, amount.Minor))
            return Reject(RejectionCode.InsufficientBalance, $"The eligible balance is {ordered.Sum(h => h.Entitlement.Balance)} {amount.Currency} minor units; the sale needs {amount.Minor}.");

        var parts = new List<(Holding, long)>();
        long remaining = amount.Minor;
        foreach (var holding in ordered)
        {
            if (remaining == 0) break;
            long take = Math.Min(remaining, holding.Entitlement.Balance);
            parts.Add((holding, take));
            remaining -= take;
        }
        return new AllocationPlan(parts, null);
    }

    // Whether the balances reach the amount; compares against what is still missing, so huge balances cannot overflow a sum.
    private static bool Covers(IEnumerable<Holding> holdings, long amount)
    {
        long missing = amount;
        foreach (var h in holdings)
        {
            if (h.Entitlement.Balance >= missing) return true;
            missing -= h.Entitlement.Balance;
        }
        return false;
    }

    private static AllocationPlan Reject(RejectionCode code, string message) => new([], new Rejection(code, message));
}
