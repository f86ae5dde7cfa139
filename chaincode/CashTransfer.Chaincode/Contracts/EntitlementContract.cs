using CashTransfer.Chaincode.Access;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Contracts;

/// <summary>The owning agency issues, tops up, revokes and reclaims its programmes' entitlements.</summary>
[Contract("Entitlement")]
public sealed partial class EntitlementContract : Contract
{
    /// <summary>The most grants one transaction takes (and the most entitlements one reclaim visits).</summary>
    public const int MaxGrantsPerBatch = EntitlementBatch.MaxGrants;

    /// <summary>
    /// Issues a cycle's entitlements in bulk. Rows already issued with the same amount are skipped, so a
    /// re-sent batch changes nothing; the budget cap counts every amount ever issued, top-ups included.
    /// </summary>
    [Transaction]
    public async Task<IssueResult> IssueEntitlements(Context ctx, EntitlementBatch batch)
    {
        var ledger = new LedgerStore(ctx);
        Problem.Required(batch, "An entitlement batch");
        var programme = await OwnedActiveProgrammeAsync(ctx, ledger, batch.ProgrammeId);
        // A batch that spends a reservation's part does not read the budget record: chunks of one upload run side by side.
        var budget = batch.Reservation is null ? await BudgetOfAsync(ledger, programme.ProgrammeId) : null;
        var cycle = Identifiers.RequireId(batch.Cycle, "Cycle");
        var grants = ValidateGrants(batch.Grants);
        var (from, until) = Window(programme, batch.ValidFrom, batch.ValidUntil);
        if (until <= ctx.Stub.TxTimestamp) throw Problem.Conflict($"The cycle's validity ended at {until:O}; entitlements that can no longer be spent are not issued.");

        var rows = new List<GrantResult>(grants.Count);
        var toIssue = new List<(string Key, EntitlementGrant Grant)>();
        var mayHold = await IssuedIndex.MayHoldAsync(ctx.Stub, programme.ProgrammeId, cycle, grants.Select(g => g.BeneficiaryHash).ToList());
        for (int row = 0; row < grants.Count; row++)
        {
            var key = Keys.EntitlementKey(ctx.Stub, grants[row].BeneficiaryHash, programme.ProgrammeId, cycle);
            var existing = mayHold.Contains(grants[row].BeneficiaryHash) ? await ledger.FindAsync<Entitlement>(key) : null;
            if (existing is null) toIssue.Add((key, grants[row]));
            rows.Add(new GrantResult(row, existing is null ? GrantOutcome.Issued
                : existing.Issued == grants[row].AmountMinor ? GrantOutcome.AlreadyIssued : GrantOutcome.ConflictsWithExisting));
        }
        long total = MoneyRules.Total(toIssue.Select(g => g.Grant.AmountMinor), $"The batch total for programme {programme.ProgrammeId}");
        if (budget is not null) budget = await SpendBudgetAsync(ctx, ledger, budget, total);
        else await SpendReservationAsync(ledger, programme, batch.Reservation!, total);

        foreach (var (key, grant) in toIssue)
        {
            var entitlement = new Entitlement(programme.ProgrammeId, cycle, grant.BeneficiaryHash, programme.OwnerMsp, programme.Currency,
                from, until, grant.AmountMinor, 0, 0, 0, 0, grant.AmountMinor, EntitlementStatus.Active);
            await ledger.PutAsync(key, entitlement);
            await ledger.RequireEndorsementByAsync(key, programme.OwnerMsp);
            await ledger.PutIndexAsync(ledger.Key(Keys.EntitlementByProgramme, programme.ProgrammeId, cycle, grant.BeneficiaryHash), grant.BeneficiaryHash);
        }
        var result = new IssueResult(programme.ProgrammeId, cycle, toIssue.Count, new Money(total, programme.Currency),
            budget is null ? null : new Money(budget.RemainingMinor, programme.Currency), rows);
        ledger.Emit(ChaincodeEvents.EntitlementsIssued, result with { Rows = [] });
        return result;
    }

    [Transaction]
    public async Task<Entitlement> TopUpEntitlement(Context ctx, string programmeId, string cycle, string beneficiaryHash, long amountMinor)
    {
        var ledger = new LedgerStore(ctx);
        var (programme, budget) = await OwnedActiveProgrammeWithBudgetAsync(ctx, ledger, programmeId);
        MoneyRules.RequireAmount(amountMinor, "A top-up");
        var (key, entitlement) = await EntitlementAsync(ctx, ledger, programmeId, cycle, beneficiaryHash);
        if (entitlement.Status != EntitlementStatus.Active || entitlement.ValidUntil <= ctx.Stub.TxTimestamp)
            throw Problem.Conflict($"The entitlement is {entitlement.Status} and valid until {entitlement.ValidUntil:O}; only an active, unexpired entitlement can be topped up.");
        await SpendBudgetAsync(ctx, ledger, budget, amountMinor);
        const string what = "The entitlement after this top-up";
        var updated = entitlement with { Issued = MoneyRules.Plus(entitlement.Issued, amountMinor, what), Balance = MoneyRules.Plus(entitlement.Balance, amountMinor, what) };
        await ledger.PutAsync(key, updated);
        ledger.Emit(ChaincodeEvents.EntitlementToppedUp, updated);
        return updated;
    }

    /// <summary>Cancels the unspent balance; the entitlement can no longer be spent or topped up.</summary>
    [Transaction]
    public async Task<Entitlement> RevokeEntitlement(Context ctx, string programmeId, string cycle, string beneficiaryHash, string reason)
    {
        if (!Enum.TryParse<RevocationReason>(reason, ignoreCase: false, out var code) || !Enum.IsDefined(code))
            throw Problem.Invalid($"Reason must be one of {string.Join(", ", Enum.GetNames<RevocationReason>())}; got '{reason}'.");
        var ledger = new LedgerStore(ctx);
        var (key, entitlement) = await EntitlementAsync(ctx, ledger, programmeId, cycle, beneficiaryHash);
        Caller.RequireOperatorOf(ctx, entitlement.OwnerMsp, $"Programme {programmeId}");
        if (entitlement.Status != EntitlementStatus.Active)
            throw Problem.Conflict($"The entitlement is already {entitlement.Status}.");
        var updated = entitlement with { Revoked = MoneyRules.Plus(entitlement.Revoked, entitlement.Balance, "The revoked total"), Balance = 0, Status = EntitlementStatus.Revoked };
        await ledger.PutAsync(key, updated);
        ledger.Emit(ChaincodeEvents.EntitlementRevoked, new { updated.ProgrammeId, updated.Cycle, updated.BeneficiaryHash, Reason = code.ToString(), RevokedMinor = entitlement.Balance });
        return updated;
    }

    /// <summary>
    /// Reclaims the unspent balance of up to <paramref name="limit"/> entitlements of a cycle whose validity has
    /// ended (valid-until at or before this transaction's time). Call again while MoreRemain is true.
    /// Receipts signed before expiry but synced after a reclaim are rejected, so reclaim once terminals have synced.
    /// </summary>
    [Transaction]
    public async Task<ReclaimResult> ReclaimExpired(Context ctx, string programmeId, string cycle, int limit)
    {
        var ledger = new LedgerStore(ctx);
        var programme = await ledger.GetAsync<Programme>(ledger.Key(Keys.Programme, Identifiers.RequireId(programmeId, "Programme id")), $"Programme {programmeId} does not exist.");
        Caller.RequireOperatorOf(ctx, programme.OwnerMsp, $"Programme {programmeId}");
        Identifiers.RequireId(cycle, "Cycle");
        if (limit is < 1 or > MaxGrantsPerBatch) throw Problem.Invalid($"Limit must be between 1 and {MaxGrantsPerBatch}.");

        int count = 0;
        long total = 0;
        bool more = false;
        await foreach (var index in ctx.Stub.GetStateByPartialCompositeKeyAsync(Keys.EntitlementByProgramme, [programmeId, cycle]))
        {
            var key = Keys.EntitlementKey(ctx.Stub, System.Text.Encoding.UTF8.GetString(index.Value), programmeId, cycle);
            var entitlement = await ledger.GetAsync<Entitlement>(key, "An entitlement index points at a missing entitlement.");
            if (entitlement.Status != EntitlementStatus.Active || entitlement.ValidUntil > ctx.Stub.TxTimestamp) continue;
            if (count == limit) { more = true; break; }
            await ledger.PutAsync(key, entitlement with { Reclaimed = MoneyRules.Plus(entitlement.Reclaimed, entitlement.Balance, "The reclaimed total"), Balance = 0, Status = EntitlementStatus.Reclaimed });
            count++;
            total = MoneyRules.Plus(total, entitlement.Balance, "The reclaimed total");
        }
        var result = new ReclaimResult(programmeId, cycle, count, new Money(total, programme.Currency), more);
        ledger.Emit(ChaincodeEvents.EntitlementsReclaimed, result);
        return result;
    }

    private static async Task<(Programme, ProgrammeBudget)> OwnedActiveProgrammeWithBudgetAsync(Context ctx, LedgerStore ledger, string programmeId)
    {
        var programme = await OwnedActiveProgrammeAsync(ctx, ledger, programmeId);
        return (programme, await BudgetOfAsync(ledger, programmeId));
    }

    private static async Task<Programme> OwnedActiveProgrammeAsync(Context ctx, LedgerStore ledger, string programmeId)
    {
        var programme = await OwnedProgrammeAsync(ctx, ledger, programmeId);
        if (programme.Status != ProgrammeStatus.Active)
            throw Problem.Conflict($"Programme {programmeId} is {programme.Status}; entitlements are issued only for an active programme.");
        return programme;
    }

    private static async Task<Programme> OwnedProgrammeAsync(Context ctx, LedgerStore ledger, string programmeId)
    {
        Identifiers.RequireId(programmeId, "Programme id");
        var programme = await ledger.GetAsync<Programme>(ledger.Key(Keys.Programme, programmeId), $"Programme {programmeId} does not exist.");
        Caller.RequireOperatorOf(ctx, programme.OwnerMsp, $"Programme {programmeId}");
        return programme;
    }

    private static Task<ProgrammeBudget> BudgetOfAsync(LedgerStore ledger, string programmeId) =>
        ledger.GetAsync<ProgrammeBudget>(ledger.Key(Keys.ProgrammeBudget, programmeId), $"Programme {programmeId} has no budget record.");

    // Rule: the total ever issued (including top-ups) never exceeds the budget cap; revoked or reclaimed money does not return to it.
    private static async Task<ProgrammeBudget> SpendBudgetAsync(Context ctx, LedgerStore ledger, ProgrammeBudget budget, long amount)
    {
        if (amount > budget.RemainingMinor)
            throw Problem.Conflict($"Issuing {amount} would exceed the budget cap of programme {budget.ProgrammeId}: {budget.RemainingMinor} of {budget.BudgetMinor} {budget.Currency} minor units remain.");
        if (amount == 0) return budget;
        var updated = budget with { IssuedMinor = MoneyRules.Plus(budget.IssuedMinor, amount, $"The amount issued by programme {budget.ProgrammeId}") };
        await ledger.PutAsync(ledger.Key(Keys.ProgrammeBudget, budget.ProgrammeId), updated);
        return updated;
    }

    private static async Task<(string Key, Entitlement Entitlement)> EntitlementAsync(Context ctx, LedgerStore ledger, string programmeId, string cycle, string beneficiaryHash)
    {
        var key = Keys.EntitlementKey(ctx.Stub, Identifiers.RequireBeneficiaryHash(beneficiaryHash), Identifiers.RequireId(programmeId, "Programme id"), Identifiers.RequireId(cycle, "Cycle"));
        return (key, await ledger.GetAsync<Entitlement>(key, $"No entitlement for this beneficiary in programme {programmeId}, cycle {cycle}."));
    }

    private static IReadOnlyList<EntitlementGrant> ValidateGrants(IReadOnlyList<EntitlementGrant>? grants)
    {
        if (grants is null || grants.Count == 0) throw Problem.Invalid("A batch needs at least one grant.");
        if (grants.Count > MaxGrantsPerBatch) throw Problem.Invalid($"A batch takes at most {MaxGrantsPerBatch} grants; split the upload.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int row = 0; row < grants.Count; row++)
        {
            var grant = grants[row] ?? throw Problem.Invalid($"Row {row} is empty.");
            try { Identifiers.RequireBeneficiaryHash(grant.BeneficiaryHash); }
            catch (ChaincodeException e) { throw Problem.Invalid($"Row {row}: {e.Message}"); }
            try { MoneyRules.RequireAmount(grant.AmountMinor, "The amount"); }
            catch (ChaincodeException e) { throw Problem.Invalid($"Row {row}: {e.Message}"); }
            if (!seen.Add(grant.BeneficiaryHash)) throw Problem.Invalid($"Row {row}: the beneficiary appears twice in this batch.");
        }
        return grants;
    }

    private static (DateTimeOffset From, DateTimeOffset Until) Window(Programme programme, DateTimeOffset? from, DateTimeOffset? until)
    {
        var f = (from ?? programme.ValidFrom).ToUniversalTime();
        var u = (until ?? programme.ValidUntil).ToUniversalTime();
        if (f < programme.ValidFrom || u > programme.ValidUntil || u <= f)
            throw Problem.Invalid($"The cycle's validity must be a non-empty window inside the programme's ({programme.ValidFrom:O} to {programme.ValidUntil:O}).");
        return (f, u);
    }
}
