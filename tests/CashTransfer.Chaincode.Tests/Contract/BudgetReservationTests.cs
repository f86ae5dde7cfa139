using System.Text;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;
using Fabric.Shim.Testing;

namespace CashTransfer.Chaincode.Tests.Contract;

/// <summary>
/// Budget reservations let an upload's chunks commit side by side (each spends its own part), while the budget cap still
/// holds: issued plus reserved never exceeds it, a part never issues more than it holds, and a release gives back the rest.
/// </summary>
public class BudgetReservationTests
{
    private static async Task<Ledger> WithProgrammeAsync(long budget)
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", budget));
        return l;
    }

    private static Task<TransactionOutcome<ReservationResult>> Reserve(Ledger l, string id, int first, params long[] amounts) =>
        l.Submit(l.WfpOperator, c => l.Entitlements.ReserveBudget(c, new BudgetReservationRequest("P1", id, first, amounts)));

    private static Task<TransactionOutcome<ReservationRelease>> Release(Ledger l, string id) =>
        l.Submit(l.WfpOperator, c => l.Entitlements.ReleaseBudgetReservation(c, "P1", id));

    /// <summary>A chunk of grants for beneficiaries <paramref name="from"/>..<paramref name="from"/>+count-1, 100 each.</summary>
    private static Func<Context, Task<IssueResult>> Chunk(Ledger l, int from, int count, ReservationPart? part) =>
        Chunk(l, Enumerable.Range(from, count).ToArray(), part);

    private static Func<Context, Task<IssueResult>> Chunk(Ledger l, int[] beneficiaries, ReservationPart? part) =>
        c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1",
            beneficiaries.Select(n => new EntitlementGrant(Ledger.Beneficiary(n), 100)).OrderBy(g => g.BeneficiaryHash, StringComparer.Ordinal).ToList(),
            Reservation: part));

    private static ProgrammeBudget Budget(Ledger l) => l.Committed<ProgrammeBudget>(Keys.ProgrammeBudget, "P1");

    [Fact]
    public async Task Chunks_that_spend_their_own_parts_commit_side_by_side_where_chunks_that_spend_the_budget_conflict()
    {
        var l = await WithProgrammeAsync(10_000);
        // Without a reservation every chunk writes the budget record: of two endorsed together, the second fails validation.
        var plain = await l.Runner.SubmitConcurrentlyAsync([(l.WfpOperator, Chunk(l, 100, 3, null)), (l.WfpOperator, Chunk(l, 200, 3, null))]);
        Assert.Equal([ValidationCode.Valid, ValidationCode.MvccReadConflict], plain.Select(o => o.Commit!.Code));

        Assert.Equal((3, 900L, 8_800L), Summary((await Reserve(l, "job-1", 0, 300, 300, 300)).Value));
        // As an upload sends them: consecutive stretches of beneficiaries in hash order, so each chunk reads its own range.
        var inHashOrder = Enumerable.Range(0, 9).OrderBy(Ledger.Beneficiary, StringComparer.Ordinal).ToArray();
        var chunks = await l.Runner.SubmitConcurrentlyAsync(Enumerable.Range(0, 3)
            .Select(k => (l.WfpOperator, Chunk(l, inHashOrder[(k * 3)..(k * 3 + 3)], new ReservationPart("job-1", k)))).ToList());
        Assert.All(chunks, o => Assert.Equal(ValidationCode.Valid, o.Commit!.Code));
        Assert.All(chunks, o => Assert.Null(o.Value.BudgetRemaining)); // the budget record was not read
        Assert.All(inHashOrder, n => Assert.Equal(100, l.EntitlementOf(n, "P1", "C1").Issued));
        Assert.Equal((300L, 900L), (Budget(l).IssuedMinor, Budget(l).ReservedMinor));

        var released = (await Release(l, "job-1")).Value;
        Assert.Equal((3, 900L, 0L), (released.PartsReleased, released.Issued.Minor, released.Returned.Minor));
        Assert.Equal((1_200L, 0L, 8_800L), (Budget(l).IssuedMinor, Budget(l).ReservedMinor, Budget(l).RemainingMinor));
        Assert.Empty(l.All<BudgetReservationPart>(Keys.BudgetReservation));
    }

    [Fact]
    public async Task The_cap_holds_through_reservations_and_a_release_gives_back_what_was_not_issued()
    {
        var l = await WithProgrammeAsync(1_000);
        Assert.Contains("budget cap", (await Reserve(l, "job-1", 0, 600, 401)).FailsWith(409).Message);
        await Reserve(l, "job-1", 0, 600);
        Assert.Equal(400, Budget(l).RemainingMinor);
        // The rest of the budget is what plain issues and other reservations can take.
        var over = await l.Submit(l.WfpOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1", [new(Ledger.Beneficiary(1), 401)])));
        Assert.Contains("budget cap", over.FailsWith(409).Message);
        Assert.Contains("budget cap", (await Reserve(l, "job-2", 0, 401)).FailsWith(409).Message);
        // A part issues at most what it holds.
        Assert.Contains("part 0 of reservation job-1", (await l.Submit(l.WfpOperator, Chunk(l, 10, 7, new ReservationPart("job-1", 0)))).FailsWith(409).Message);
        await l.Submit(l.WfpOperator, Chunk(l, 10, 5, new ReservationPart("job-1", 0)));

        var released = (await Release(l, "job-1")).Value;
        Assert.Equal((500L, 100L), (released.Issued.Minor, released.Returned.Minor));
        Assert.Equal((500L, 0L, 500L), (Budget(l).IssuedMinor, Budget(l).ReservedMinor, Budget(l).RemainingMinor));
        Assert.Contains("has been released", (await l.Submit(l.WfpOperator, Chunk(l, 20, 1, new ReservationPart("job-1", 0)))).FailsWith(404).Message);
    }

    [Fact]
    public async Task A_reservation_sent_again_changes_nothing_its_parts_are_not_changed_and_a_second_release_is_empty()
    {
        var l = await WithProgrammeAsync(1_000);
        await Reserve(l, "job-1", 0, 100, 200);
        var again = (await Reserve(l, "job-1", 1, 200, 50)).Value; // part 1 again, part 2 new
        Assert.Equal((1, 50L), (again.PartsReserved, again.Reserved.Minor));
        Assert.Equal(350, Budget(l).ReservedMinor);
        Assert.Contains("holds 200, not 250", (await Reserve(l, "job-1", 1, 250)).FailsWith(409).Message);

        Assert.Equal(3, (await Release(l, "job-1")).Value.PartsReleased);
        var second = (await Release(l, "job-1")).Value;
        Assert.Equal((0, 0L, 0L), (second.PartsReleased, second.Issued.Minor, second.Returned.Minor));
        Assert.Equal((0L, 0L, 1_000L), (Budget(l).IssuedMinor, Budget(l).ReservedMinor, Budget(l).RemainingMinor));
    }

    [Fact]
    public async Task Programme_totals_count_what_open_parts_issued()
    {
        var l = await WithProgrammeAsync(10_000);
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 100));
        await Reserve(l, "job-1", 0, 500, 500);
        await l.Submit(l.WfpOperator, Chunk(l, 10, 4, new ReservationPart("job-1", 1)));

        var open = (await l.Evaluate(l.Auditor, c => l.Queries.GetProgrammeTotals(c, "P1", 100, ""))).Value;
        Assert.Equal((500L, 500L), (open.BudgetIssuedMinor, open.Issued));
        await Release(l, "job-1");
        var closed = (await l.Evaluate(l.Auditor, c => l.Queries.GetProgrammeTotals(c, "P1", 100, ""))).Value;
        Assert.Equal((500L, 500L), (closed.BudgetIssuedMinor, closed.Issued));
    }

    [Fact]
    public async Task Only_the_owner_reserves_and_releases_and_malformed_requests_are_refused()
    {
        var l = await WithProgrammeAsync(1_000);
        (await l.Submit(l.UnwOperator, c => l.Entitlements.ReserveBudget(c, new BudgetReservationRequest("P1", "job-1", 0, [10])))).FailsWith(403);
        await Reserve(l, "job-1", 0, 10);
        // Like the budget it comes from, a part changes only with the owning agency's endorsement.
        var policy = l.World.GetValidationParameter(Ledger.Key(Keys.BudgetReservation, "P1", "job-1", "00000"));
        Assert.NotEmpty(policy);
        Assert.Equal(l.World.GetValidationParameter(Ledger.Key(Keys.ProgrammeBudget, "P1")), policy);
        (await l.Submit(l.UnwOperator, c => l.Entitlements.ReleaseBudgetReservation(c, "P1", "job-1"))).FailsWith(403);
        (await l.Submit(l.UnwOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1", [new(Ledger.Beneficiary(1), 10)], Reservation: new("job-1", 0))))).FailsWith(403);

        (await Reserve(l, "job 2", 0, 10)).FailsWith(400);
        (await Reserve(l, "job-2", 0)).FailsWith(400);
        (await Reserve(l, "job-2", 0, -1)).FailsWith(400);
        (await Reserve(l, "job-2", -1, 10)).FailsWith(400);
        (await Reserve(l, "job-2", BudgetReservationRequest.MaxPartNumber, 10, 10)).FailsWith(400);
        (await Reserve(l, "job-2", 0, new long[BudgetReservationRequest.MaxParts + 1])).FailsWith(400);
        (await l.Submit(l.WfpOperator, Chunk(l, 1, 1, new ReservationPart("job-1", -1)))).FailsWith(400);
        Assert.Equal(10, Budget(l).ReservedMinor);
    }

    [Fact]
    public async Task A_budget_without_reservations_is_written_as_before_reservations_existed()
    {
        var l = await WithProgrammeAsync(1_000);
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 100));
        var json = Encoding.UTF8.GetString(l.World.GetState(Ledger.Key(Keys.ProgrammeBudget, "P1")));
        Assert.Equal("""{"programmeId":"P1","currency":"USD","budgetMinor":1000,"issuedMinor":100,"remainingMinor":900}""", json);
        await Reserve(l, "job-1", 0, 10);
        Assert.Contains("\"reservedMinor\":10", Encoding.UTF8.GetString(l.World.GetState(Ledger.Key(Keys.ProgrammeBudget, "P1"))));
    }

    private static (int Parts, long Reserved, long Remaining) Summary(ReservationResult r) => (r.PartsReserved, r.Reserved.Minor, r.BudgetRemaining.Minor);
}
