using CashTransfer.Chaincode.Access;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Contracts;

/// <summary>Agencies create their programmes and decide which retailers serve them.</summary>
[Contract("Programme")]
public sealed class ProgrammeContract : Contract
{
    [Transaction]
    public async Task<Programme> CreateProgramme(Context ctx, ProgrammeDefinition definition)
    {
        var agency = Caller.RequireOperator(ctx);
        var ledger = new LedgerStore(ctx);
        var programme = Validate(definition, agency);
        var key = ledger.Key(Keys.Programme, programme.ProgrammeId);
        if (await ledger.FindAsync<Programme>(key) is not null)
            throw Problem.Conflict($"Programme {programme.ProgrammeId} exists already; choose another id.");
        foreach (var retailerId in programme.AllowedRetailers)
            await ledger.GetAsync<Retailer>(ledger.Key(Keys.Retailer, retailerId), $"Retailer {retailerId} is not registered; register it first.");

        var budgetKey = ledger.Key(Keys.ProgrammeBudget, programme.ProgrammeId);
        await ledger.PutAsync(key, programme);
        await ledger.PutAsync(budgetKey, new ProgrammeBudget(programme.ProgrammeId, programme.Currency, programme.BudgetMinor, 0));
        await ledger.RequireEndorsementByAsync(key, agency);
        await ledger.RequireEndorsementByAsync(budgetKey, agency);
        ledger.Emit(ChaincodeEvents.ProgrammeCreated, programme);
        return programme;
    }

    /// <summary>Suspends, reactivates or closes a programme; a closed programme stays closed.</summary>
    [Transaction]
    public async Task<Programme> SetProgrammeStatus(Context ctx, string programmeId, string status)
    {
        if (!Enum.TryParse<ProgrammeStatus>(status, ignoreCase: false, out var newStatus) || !Enum.IsDefined(newStatus))
            throw Problem.Invalid($"Status must be Active, Suspended or Closed; got '{status}'.");
        return await UpdateAsync(ctx, programmeId, p => p.Status == ProgrammeStatus.Closed
            ? throw Problem.Conflict($"Programme {programmeId} is closed; a closed programme cannot change status.")
            : p with { Status = newStatus });
    }

    [Transaction]
    public async Task<Programme> AllowRetailer(Context ctx, string programmeId, string retailerId)
    {
        var ledger = new LedgerStore(ctx);
        Identifiers.RequireId(retailerId, "Retailer id");
        await ledger.GetAsync<Retailer>(ledger.Key(Keys.Retailer, retailerId), $"Retailer {retailerId} is not registered.");
        return await UpdateAsync(ctx, programmeId, p => p with { AllowedRetailers = [.. p.AllowedRetailers.Append(retailerId).Distinct().Order(StringComparer.Ordinal)] });
    }

    [Transaction]
    public Task<Programme> DisallowRetailer(Context ctx, string programmeId, string retailerId) =>
        UpdateAsync(ctx, programmeId, p => p with { AllowedRetailers = [.. p.AllowedRetailers.Where(r => r != retailerId)] });

    private static async Task<Programme> UpdateAsync(Context ctx, string programmeId, Func<Programme, Programme> change)
    {
        var ledger = new LedgerStore(ctx);
        var key = ledger.Key(Keys.Programme, Identifiers.RequireId(programmeId, "Programme id"));
        var programme = await ledger.GetAsync<Programme>(key, $"Programme {programmeId} does not exist.");
        Caller.RequireOperatorOf(ctx, programme.OwnerMsp, $"Programme {programmeId}");
        var updated = change(programme);
        await ledger.PutAsync(key, updated);
        ledger.Emit(ChaincodeEvents.ProgrammeUpdated, updated);
        return updated;
    }

    private static Programme Validate(ProgrammeDefinition? definition, string agency)
    {
        var d = Problem.Required(definition, "A programme definition");
        Identifiers.RequireId(d.ProgrammeId, "Programme id");
        if (d.Budget is null) throw Problem.Invalid("A programme needs a budget (amount in minor units and currency).");
        d.Budget.RequirePositive("The budget cap");
        if (d.ValidUntil <= d.ValidFrom) throw Problem.Invalid("The validity window must end after it starts.");
        if (d.Priority < 0) throw Problem.Invalid("Priority must be 0 or more (lower numbers are spent first).");
        var restriction = d.Restriction ?? throw Problem.Invalid("A programme needs a spending restriction (Cash, or Voucher with categories).");
        // JSON may name an enum by number ("kind": "7"): a kind that is neither would be stored and never read back.
        if (!Enum.IsDefined(restriction.Kind)) throw Problem.Invalid($"A spending restriction is {string.Join(" or ", Enum.GetNames<RestrictionKind>())}.");
        var categories = (restriction.Categories ?? []).Select(Identifiers.RequireCategory).Distinct().Order(StringComparer.Ordinal).ToList();
        if (restriction.Kind == RestrictionKind.Voucher && categories.Count == 0)
            throw Problem.Invalid("A voucher programme must list the categories it pays for.");
        if (restriction.Kind == RestrictionKind.Cash && categories.Count > 0)
            throw Problem.Invalid("A cash programme is unrestricted; list categories only for vouchers.");
        var retailers = (d.AllowedRetailers ?? []).Select(r => Identifiers.RequireId(r, "Retailer id")).Distinct().Order(StringComparer.Ordinal).ToList();
        return new Programme(d.ProgrammeId, agency, d.Budget.Currency, d.Budget.Minor, d.ValidFrom.ToUniversalTime(), d.ValidUntil.ToUniversalTime(),
            d.Priority, new SpendingRestriction(restriction.Kind, categories), retailers, ProgrammeStatus.Active);
    }
}
