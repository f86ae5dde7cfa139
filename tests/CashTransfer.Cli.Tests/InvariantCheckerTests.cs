using CashTransfer.Cli.Demo;
using CashTransfer.Contracts;

namespace CashTransfer.Cli.Tests;

/// <summary>
/// The invariant checker judges a ledger snapshot: a consistent one passes every invariant, and each way of breaking
/// the ledger (a lost, duplicated or misreported receipt; an unbalanced programme; a wrong payable; a payable settled
/// twice; a stale read model) fails exactly the invariant it breaks.
/// </summary>
public sealed class InvariantCheckerTests
{
    private const string Shop = "shop";

    /// <summary>Two receipts accepted (1000 split WFP 600 / UNHCR 400, and 500 from WFP), one rejected; WFP settled its 1100.</summary>
    private static LedgerSnapshot Consistent() => new(
        Retailers: [Shop],
        Journals:
        [
            new("pos-1", "r1", 1, "committed", null),
            new("pos-1", "r2", 2, "rejected", "InsufficientBalance"),
            new("pos-2", "r3", 1, "committed", null),
        ],
        Redemptions:
        [
            new("r1", "pos-1", Shop, 1, new Money(1000, "JOD"), "Accepted"),
            new("r2", "pos-1", Shop, 2, new Money(90000, "JOD"), "Rejected"),
            new("r3", "pos-2", Shop, 1, new Money(500, "JOD"), "Accepted"),
        ],
        Programmes:
        [
            new("food", "JOD", BudgetMinor: 10_000, Issued: 5000, Redeemed: 1100, Reversed: 0, Revoked: 0, Reclaimed: 0, Outstanding: 3900),
            new("cash", "JOD", BudgetMinor: 10_000, Issued: 2000, Redeemed: 400, Reversed: 0, Revoked: 100, Reclaimed: 0, Outstanding: 1500),
        ],
        LedgerPayables: [new(Shop, "UNHCRMSP", "r1", 400, "JOD")],
        Settlements: [new("s1", "WFPMSP", Shop, [new Money(1100, "JOD")], ["r1", "r3"])],
        ReadModelPayables: [new(Shop, "UNHCRMSP", "r1", 400, "JOD")],
        ReadModelReceiptStatuses: [new("r1", "Accepted"), new("r2", "Rejected"), new("r3", "Accepted")]);

    private static IReadOnlyList<InvariantResult> Failed(LedgerSnapshot snapshot) => InvariantChecker.Check(snapshot).Where(r => !r.Passed).ToList();

    [Fact]
    public void A_consistent_ledger_passes_every_invariant()
    {
        var results = InvariantChecker.Check(Consistent());
        Assert.Equal(5, results.Count); // receipts, two programmes, one retailer, read models
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Detail}"));
    }

    [Fact]
    public void A_lost_receipt_fails_the_exactly_once_invariant()
    {
        var s = Consistent();
        var failures = Failed(s with { Redemptions = s.Redemptions.Where(r => r.RedemptionId != "r2").ToList() });
        var failed = Assert.Single(failures, r => r.Name.StartsWith("every receipt", StringComparison.Ordinal));
        Assert.Contains("r2 (pos-1 #2) is lost: not on the ledger", failed.Detail);
        // The read model still shows r2's status, which the ledger no longer has: that disagreement is reported too.
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, r => r.Name.StartsWith("the gateway's read models", StringComparison.Ordinal) && r.Detail.Contains("receipt r2"));
    }

    [Fact]
    public void A_receipt_recorded_twice_under_another_id_fails_the_exactly_once_invariant()
    {
        var s = Consistent();
        var duplicate = new LedgerRedemption("r3-again", "pos-2", Shop, 1, new Money(500, "JOD"), "Rejected");
        var failed = Failed(s with { Redemptions = [.. s.Redemptions, duplicate] });
        var receipts = Assert.Single(failed, r => r.Name.StartsWith("every receipt", StringComparison.Ordinal));
        Assert.Contains("pos-2 #1 is on the ledger 2 times", receipts.Detail);
        Assert.Contains("in no journal", receipts.Detail);
    }

    [Fact]
    public void A_receipt_without_a_final_outcome_or_with_the_wrong_one_fails()
    {
        var s = Consistent();
        var journals = s.Journals.Select(j => j.RedemptionId switch
        {
            "r1" => j with { Status = "submitted" },
            "r3" => j with { Status = "rejected" },
            _ => j,
        }).ToList();
        var failed = Assert.Single(Failed(s with { Journals = journals }));
        Assert.Contains("r1 (pos-1 #1) is submitted, not final", failed.Detail);
        Assert.Contains("r3: the terminal was told rejected, the ledger says Accepted", failed.Detail);
    }

    [Fact]
    public void A_programme_whose_totals_do_not_balance_fails_its_invariant_only()
    {
        var s = Consistent();
        var failed = Assert.Single(Failed(s with { Programmes = [s.Programmes[0] with { Outstanding = 3899 }, s.Programmes[1]] }));
        Assert.StartsWith("programme food", failed.Name);
        Assert.Contains("issued 5000 <> 1100 - 0 + 0 + 0 + 3899 = 4999 JOD", failed.Detail);
    }

    [Fact]
    public void Issuing_above_the_budget_fails()
    {
        var s = Consistent();
        var over = s.Programmes[1] with { BudgetMinor = 1999 };
        Assert.Contains("above the budget", Assert.Single(Failed(s with { Programmes = [s.Programmes[0], over] })).Detail);
    }

    [Fact]
    public void A_payable_that_does_not_match_redeemed_minus_settled_fails_the_retailer_invariant()
    {
        var s = Consistent();
        var wrong = s with { LedgerPayables = [new(Shop, "UNHCRMSP", "r1", 450, "JOD")], ReadModelPayables = [new(Shop, "UNHCRMSP", "r1", 450, "JOD")] };
        var failed = Assert.Single(Failed(wrong));
        Assert.StartsWith($"retailer {Shop}", failed.Name);
        Assert.Contains("payable 450 <> 1500 - 0 - 1100 = 400 JOD", failed.Detail);
    }

    [Fact]
    public void A_redemption_settled_twice_fails_the_retailer_invariant()
    {
        var s = Consistent();
        // Totals still balance (the second settlement paid nothing more), but r3 was settled by WFP twice.
        var failed = Failed(s with { Settlements = [.. s.Settlements, new("s2", "WFPMSP", Shop, [], ["r3"])] });
        Assert.Contains("WFPMSP settled r3 2 times", Assert.Single(failed).Detail);
    }

    [Fact]
    public void A_read_model_that_lags_or_differs_from_the_ledger_fails()
    {
        var s = Consistent();
        var failed = Assert.Single(Failed(s with
        {
            ReadModelPayables = [],
            ReadModelReceiptStatuses = [new("r1", "Accepted"), new("r2", null), new("r3", "Accepted")],
        }));
        Assert.StartsWith("the gateway's read models", failed.Name);
        Assert.Contains("UNHCRMSP/r1 400 JOD is on the ledger, not in the read model", failed.Detail);
        Assert.Contains("receipt r2: read model none, ledger Rejected", failed.Detail);
    }
}
