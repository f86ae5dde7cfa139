using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Contracts;

/// <summary>
/// Budget reservations: a bulk upload sets its chunks' totals aside in one transaction, each chunk spends its own part,
/// and the upload releases what is left. Rule: issued + reserved never exceeds the budget cap, and a part never issues
/// more than it holds, so the cap holds while chunks commit in any order.
/// </summary>
public sealed partial class EntitlementContract
{
    [Transaction]
    public async Task<ReservationResult> ReserveBudget(Context ctx, BudgetReservationRequest request)
    {
        var ledger = new LedgerStore(ctx);
        Problem.Required(request, "A budget reservation");
        var (programme, budget) = await OwnedActiveProgrammeWithBudgetAsync(ctx, ledger, request.ProgrammeId);
        var reservationId = Identifiers.RequireId(request.ReservationId, "Reservation id");
        var amounts = request.AmountsMinor;
        if (amounts is null || amounts.Count is 0 or > BudgetReservationRequest.MaxParts)
            throw Problem.Invalid($"A reservation request takes 1 to {BudgetReservationRequest.MaxParts} parts.");
        if (request.FirstPart < 0 || request.FirstPart > BudgetReservationRequest.MaxPartNumber + 1 - amounts.Count)
            throw Problem.Invalid($"Parts are numbered from 0 to {BudgetReservationRequest.MaxPartNumber}; this request starts at {request.FirstPart} with {amounts.Count} parts.");

        var existing = new Dictionary<int, BudgetReservationPart>();
        foreach (var part in await ledger.AllAsync<BudgetReservationPart>(Keys.BudgetReservation, programme.ProgrammeId, reservationId))
            existing[part.Part] = part;
        var created = new List<BudgetReservationPart>();
        long added = 0;
        for (int i = 0; i < amounts.Count; i++)
        {
            int number = request.FirstPart + i;
            if (amounts[i] < 0 || amounts[i] > Money.MaxMinor) throw Problem.Invalid($"Part {number}'s amount must be 0 to {Money.MaxMinor} minor units; got {amounts[i]}.");
            if (existing.TryGetValue(number, out var held))
            {
                if (held.ReservedMinor != amounts[i])
                    throw Problem.Conflict($"Part {number} of reservation {reservationId} holds {held.ReservedMinor}, not {amounts[i]}; a reservation's parts are not changed.");
                continue;
            }
            created.Add(new BudgetReservationPart(programme.ProgrammeId, reservationId, number, programme.Currency, amounts[i], 0));
            added = MoneyRules.Plus(added, amounts[i], $"The reservation's total for programme {programme.ProgrammeId}");
        }
        if (added > budget.RemainingMinor)
            throw Problem.Conflict($"Reserving {added} would exceed the budget cap of programme {budget.ProgrammeId}: {budget.RemainingMinor} of {budget.BudgetMinor} {budget.Currency} minor units remain.");
        foreach (var part in created)
        {
            var key = Keys.BudgetReservationKey(ctx.Stub, part.ProgrammeId, part.ReservationId, part.Part);
            await ledger.PutAsync(key, part);
            await ledger.RequireEndorsementByAsync(key, programme.OwnerMsp); // as the budget it comes from
        }
        if (added > 0)
        {
            budget = budget with { ReservedMinor = budget.ReservedMinor + added };
            await ledger.PutAsync(ledger.Key(Keys.ProgrammeBudget, budget.ProgrammeId), budget);
        }
        var result = new ReservationResult(programme.ProgrammeId, reservationId, created.Count, new Money(added, programme.Currency), new Money(budget.RemainingMinor, programme.Currency));
        ledger.Emit(ChaincodeEvents.BudgetReserved, result);
        return result;
    }

    /// <summary>
    /// Ends a reservation: what its parts issued counts as issued, the rest returns to the budget, the parts are deleted.
    /// Releasing a reservation that has no parts (never made, or released before) changes nothing. The programme need not
    /// be active: an upload that ends after its programme was suspended still gives its reservation back.
    /// </summary>
    [Transaction]
    public async Task<ReservationRelease> ReleaseBudgetReservation(Context ctx, string programmeId, string reservationId)
    {
        var ledger = new LedgerStore(ctx);
        var programme = await OwnedProgrammeAsync(ctx, ledger, programmeId);
        Identifiers.RequireId(reservationId, "Reservation id");
        int released = 0;
        long issued = 0, reserved = 0;
        const string what = "The reservation's total";
        await foreach (var kv in ctx.Stub.GetStateByPartialCompositeKeyAsync(Keys.BudgetReservation, [programmeId, reservationId]))
        {
            var part = LedgerJson.Deserialize<BudgetReservationPart>(kv.Value);
            issued = MoneyRules.Plus(issued, part.IssuedMinor, what);
            reserved = MoneyRules.Plus(reserved, part.ReservedMinor, what);
            await ledger.DeleteAsync(kv.Key);
            released++;
        }
        if (released > 0)
        {
            var budget = await BudgetOfAsync(ledger, programmeId);
            await ledger.PutAsync(ledger.Key(Keys.ProgrammeBudget, programmeId), budget with
            {
                IssuedMinor = MoneyRules.Plus(budget.IssuedMinor, issued, $"The amount issued by programme {programmeId}"),
                ReservedMinor = budget.ReservedMinor - reserved,
            });
        }
        var release = new ReservationRelease(programmeId, reservationId, released, new Money(issued, programme.Currency), new Money(reserved - issued, programme.Currency));
        ledger.Emit(ChaincodeEvents.BudgetReservationReleased, release);
        return release;
    }

    private static async Task SpendReservationAsync(LedgerStore ledger, Programme programme, ReservationPart reservation, long amount)
    {
        var id = Identifiers.RequireId(reservation.ReservationId, "Reservation id");
        if (reservation.Part is < 0 or > BudgetReservationRequest.MaxPartNumber)
            throw Problem.Invalid($"Part {reservation.Part} is not a reservation part number (0 to {BudgetReservationRequest.MaxPartNumber}).");
        var key = Keys.BudgetReservationKey(ledger.Stub, programme.ProgrammeId, id, reservation.Part);
        var part = await ledger.GetAsync<BudgetReservationPart>(key,
            $"Reservation {id} of programme {programme.ProgrammeId} has no part {reservation.Part}: it was never made, or it has been released.");
        if (amount > part.RemainingMinor)
            throw Problem.Conflict($"Issuing {amount} would exceed part {reservation.Part} of reservation {id}: {part.RemainingMinor} of {part.ReservedMinor} {part.Currency} minor units remain.");
        if (amount == 0) return;
        await ledger.PutAsync(key, part with { IssuedMinor = part.IssuedMinor + amount });
    }
}
