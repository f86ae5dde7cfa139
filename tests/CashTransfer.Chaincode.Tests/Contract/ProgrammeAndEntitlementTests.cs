using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Tests.Contract;

public class ProgrammeAndEntitlementTests
{
    [Theory]
    [InlineData("usd")]
    [InlineData("XYZ")]
    [InlineData("US")]
    public async Task A_programme_in_anything_but_an_ISO_4217_code_is_refused(string currency)
    {
        var l = await new Ledger().WithRetailers();
        var outcome = await l.Submit(l.WfpOperator, c => l.Programmes.CreateProgramme(c, Ledger.Definition("P1", 1000, currency)));
        Assert.Contains("ISO 4217", outcome.FailsWith(400).Message);
    }

    [Fact]
    public async Task Programme_definitions_are_validated()
    {
        var l = await new Ledger().WithRetailers();
        (await l.Submit(l.WfpOperator, c => l.Programmes.CreateProgramme(c, Ledger.Definition("P1", 0)))).FailsWith(400);
        (await l.Submit(l.WfpOperator, c => l.Programmes.CreateProgramme(c, Ledger.Definition("P1", 10, until: Ledger.Start)))).FailsWith(400);
        (await l.Submit(l.WfpOperator, c => l.Programmes.CreateProgramme(c, Ledger.Definition("P1", 10, kind: RestrictionKind.Voucher)))).FailsWith(400);
        (await l.Submit(l.WfpOperator, c => l.Programmes.CreateProgramme(c, Ledger.Definition("P 1", 10)))).FailsWith(400);
        (await l.Submit(l.WfpOperator, c => l.Programmes.CreateProgramme(c, Ledger.Definition("P1", 10, retailers: ["RT-9"])))).FailsWith(404);
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 10));
        (await l.Submit(l.WfpOperator, c => l.Programmes.CreateProgramme(c, Ledger.Definition("P1", 10)))).FailsWith(409);
        Assert.Equal(ProgrammeStatus.Active, l.Committed<Programme>(Keys.Programme, "P1").Status);
        Assert.Equal("ProgrammeCreated", l.World.Events[^1].EventName);
    }

    [Fact]
    public async Task Issuance_never_exceeds_the_budget_cap_including_top_ups()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000));
        var over = await l.Submit(l.WfpOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1",
            [new(Ledger.Beneficiary(1), 600), new(Ledger.Beneficiary(2), 401)])));
        Assert.Contains("budget cap", over.FailsWith(409).Message);
        Assert.Null(l.EntitlementOf(1, "P1", "C1"));

        var issued = await l.Issue(l.WfpOperator, "P1", "C1", (1, 600), (2, 300));
        Assert.Equal((2, 900L, 100L), (issued.IssuedCount, issued.IssuedTotal.Minor, issued.BudgetRemaining!.Minor));
        (await l.Submit(l.WfpOperator, c => l.Entitlements.TopUpEntitlement(c, "P1", "C1", Ledger.Beneficiary(1), 101))).FailsWith(409);
        var topped = (await l.Submit(l.WfpOperator, c => l.Entitlements.TopUpEntitlement(c, "P1", "C1", Ledger.Beneficiary(1), 100))).Value;
        Assert.Equal((700L, 700L), (topped.Issued, topped.Balance));
        Assert.Equal(1000, l.Committed<ProgrammeBudget>(Keys.ProgrammeBudget, "P1").IssuedMinor);
    }

    [Fact]
    public async Task A_repeated_batch_changes_nothing_and_a_different_amount_is_reported_not_applied()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000));
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 100), (2, 100));
        var again = await l.Issue(l.WfpOperator, "P1", "C1", (1, 100), (2, 150), (3, 50));
        Assert.Equal([GrantOutcome.AlreadyIssued, GrantOutcome.ConflictsWithExisting, GrantOutcome.Issued], again.Rows.Select(r => r.Outcome));
        Assert.Equal(100, l.EntitlementOf(2, "P1", "C1").Issued);
        Assert.Equal(250, l.Committed<ProgrammeBudget>(Keys.ProgrammeBudget, "P1").IssuedMinor);
    }

    [Fact]
    public async Task A_batch_whose_range_spans_other_grants_of_the_cycle_still_finds_each_issued_one()
    {
        // The batch's existence check reads the cycle's index between its first and last beneficiary and stops after
        // as many entries as the batch has; the batch's issued beneficiaries with the highest hashes lie past that point.
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 100_000));
        await l.Issue(l.WfpOperator, "P1", "C1", Enumerable.Range(1, 40).Select(n => (n, 100L)).ToArray());
        var highest = Enumerable.Range(1, 40).OrderByDescending(Ledger.Beneficiary, StringComparer.Ordinal).Take(3).ToArray();
        int[] fresh = [41, 42, 43];
        var batch = fresh.Concat(highest).ToArray();
        var (first, last) = (batch.Select(Ledger.Beneficiary).Min(StringComparer.Ordinal)!, batch.Select(Ledger.Beneficiary).Max(StringComparer.Ordinal)!);
        Assert.True(Enumerable.Range(1, 40).Count(n => string.CompareOrdinal(Ledger.Beneficiary(n), first) >= 0 && string.CompareOrdinal(Ledger.Beneficiary(n), last) <= 0) > batch.Length,
            "precondition: more issued grants lie in the batch's range than the batch has grants");

        var again = await l.Issue(l.WfpOperator, "P1", "C1", (41, 7), (42, 7), (43, 7), (highest[0], 100), (highest[1], 100), (highest[2], 55));

        Assert.Equal([GrantOutcome.Issued, GrantOutcome.Issued, GrantOutcome.Issued, GrantOutcome.AlreadyIssued, GrantOutcome.AlreadyIssued, GrantOutcome.ConflictsWithExisting],
            again.Rows.Select(r => r.Outcome));
        Assert.Equal(100, l.EntitlementOf(highest[2], "P1", "C1").Issued);
        Assert.Equal(40 * 100 + 3 * 7, l.Committed<ProgrammeBudget>(Keys.ProgrammeBudget, "P1").IssuedMinor);
    }

    [Theory]
    [InlineData("Alice Example")]
    [InlineData("+254700000000")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abc")]
    public async Task Anything_but_a_64_hex_keyed_hash_is_refused_as_a_beneficiary(string beneficiary)
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000));
        var outcome = await l.Submit(l.WfpOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1", [new(Ledger.Beneficiary(1), 5), new(beneficiary, 10)])));
        Assert.StartsWith("Row 1:", outcome.FailsWith(400).Message);
        Assert.Empty(l.All<Entitlement>(Keys.Entitlement));
    }

    [Fact]
    public async Task Bad_rows_are_refused_with_their_row_number()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000));
        var zero = await l.Submit(l.WfpOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1", [new(Ledger.Beneficiary(1), 0)])));
        Assert.StartsWith("Row 0:", zero.FailsWith(400).Message);
        var twice = await l.Submit(l.WfpOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1", [new(Ledger.Beneficiary(1), 5), new(Ledger.Beneficiary(1), 5)])));
        Assert.StartsWith("Row 1:", twice.FailsWith(400).Message);
        var window = await l.Submit(l.WfpOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1", [new(Ledger.Beneficiary(1), 5)], ValidUntil: Ledger.Start.AddDays(31))));
        window.FailsWith(400);
    }

    [Fact]
    public async Task A_suspended_programme_issues_nothing_and_a_closed_one_stays_closed()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000));
        Assert.True((await l.Submit(l.WfpOperator, c => l.Programmes.SetProgrammeStatus(c, "P1", "Suspended"))).Succeeded);
        (await l.Submit(l.WfpOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1", [new(Ledger.Beneficiary(1), 5)])))).FailsWith(409);
        Assert.True((await l.Submit(l.WfpOperator, c => l.Programmes.SetProgrammeStatus(c, "P1", "Closed"))).Succeeded);
        (await l.Submit(l.WfpOperator, c => l.Programmes.SetProgrammeStatus(c, "P1", "Active"))).FailsWith(409);
        (await l.Submit(l.WfpOperator, c => l.Programmes.SetProgrammeStatus(c, "P1", "Paused"))).FailsWith(400);
    }

    [Fact]
    public async Task Revocation_cancels_the_balance_and_keeps_the_books_balanced()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000));
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 100));
        Assert.True((await l.Redeem(l.Receipt(1, 30))).Succeeded);
        (await l.Submit(l.WfpOperator, c => l.Entitlements.RevokeEntitlement(c, "P1", "C1", Ledger.Beneficiary(1), "free text with a name"))).FailsWith(400);
        var revoked = (await l.Submit(l.WfpOperator, c => l.Entitlements.RevokeEntitlement(c, "P1", "C1", Ledger.Beneficiary(1), "Ineligible"))).Value;
        Assert.Equal((0L, 70L, EntitlementStatus.Revoked, true), (revoked.Balance, revoked.Revoked, revoked.Status, revoked.IsBalanced));
        var after = (await l.Redeem(l.Receipt(1, 10))).Value;
        Assert.Equal(RejectionCode.NoActiveEntitlement, after.Rejection!.Code);
    }

    [Fact]
    public async Task Expired_balances_are_reclaimed_only_after_expiry_and_in_bounded_steps()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000));
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 100), (2, 50), (3, 25));
        Assert.True((await l.Redeem(l.Receipt(1, 40))).Succeeded);

        var early = (await l.Submit(l.WfpOperator, c => l.Entitlements.ReclaimExpired(c, "P1", "C1", 10))).Value;
        Assert.Equal(0, early.ReclaimedCount);
        l.World.Clock = Ledger.Start.AddDays(30);
        (await l.Submit(l.UnwOperator, c => l.Entitlements.ReclaimExpired(c, "P1", "C1", 10))).FailsWith(403);
        var first = (await l.Submit(l.WfpOperator, c => l.Entitlements.ReclaimExpired(c, "P1", "C1", 2))).Value;
        Assert.Equal((2, true), (first.ReclaimedCount, first.MoreRemain));
        var rest = (await l.Submit(l.WfpOperator, c => l.Entitlements.ReclaimExpired(c, "P1", "C1", 2))).Value;
        Assert.Equal((1, false), (rest.ReclaimedCount, rest.MoreRemain));
        Assert.Equal(60 + 50 + 25, first.ReclaimedTotal.Minor + rest.ReclaimedTotal.Minor);
        var one = l.EntitlementOf(1, "P1", "C1");
        Assert.Equal((0L, 60L, EntitlementStatus.Reclaimed, true), (one.Balance, one.Reclaimed, one.Status, one.IsBalanced));
        (await l.Submit(l.WfpOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C2", [new(Ledger.Beneficiary(1), 5)])))).FailsWith(409);
        (await l.Submit(l.WfpOperator, c => l.Entitlements.TopUpEntitlement(c, "P1", "C1", Ledger.Beneficiary(1), 5))).FailsWith(409);
    }
}
