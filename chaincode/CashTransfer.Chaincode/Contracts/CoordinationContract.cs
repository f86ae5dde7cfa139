using CashTransfer.Chaincode.Access;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Contracts;

/// <summary>Agencies check for overlapping assistance without learning more than they need.</summary>
[Contract("Coordination")]
public sealed class CoordinationContract : Contract
{
    /// <summary>
    /// Which other agencies assist this beneficiary in [from, to), what that assistance buys, and in which amount
    /// band (the total issued, banded): nothing else. One row per agency, category and currency. Not paginated:
    /// it aggregates over one beneficiary's entitlements, which are few.
    /// </summary>
    [Transaction(TransactionKind.Evaluate)]
    public async Task<IReadOnlyList<AssistanceRecord>> CheckAssistance(Context ctx, string beneficiaryHash, string from, string to)
    {
        var agency = Caller.RequireOperator(ctx);
        var (start, end) = (Times.Parse(from, "from"), Times.Parse(to, "to"));
        if (end <= start) throw Problem.Invalid("The period must end after it starts.");
        var ledger = new LedgerStore(ctx);
        var programmes = new Dictionary<string, Programme>(StringComparer.Ordinal);
        var overlapping = new List<(Entitlement Entitlement, string Category)>();
        foreach (var e in await ledger.AllAsync<Entitlement>(Keys.Entitlement, Identifiers.RequireBeneficiaryHash(beneficiaryHash)))
        {
            if (e.OwnerMsp == agency || e.ValidUntil <= start || e.ValidFrom >= end) continue;
            if (!programmes.TryGetValue(e.ProgrammeId, out var p))
                programmes[e.ProgrammeId] = p = await ledger.GetAsync<Programme>(ledger.Key(Keys.Programme, e.ProgrammeId), $"Programme {e.ProgrammeId} is missing.");
            overlapping.Add((e, p.Restriction.Label));
        }
        return overlapping
            .GroupBy(o => (o.Entitlement.OwnerMsp, o.Category, o.Entitlement.Currency))
            .OrderBy(g => g.Key.OwnerMsp, StringComparer.Ordinal).ThenBy(g => g.Key.Category, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
            .Select(g => new AssistanceRecord(g.Key.OwnerMsp, g.Key.Category, AmountBand.Of(MoneyRules.Total(g.Select(o => o.Entitlement.Issued), "The assistance total"), g.Key.Currency)))
            .ToList();
    }
}
