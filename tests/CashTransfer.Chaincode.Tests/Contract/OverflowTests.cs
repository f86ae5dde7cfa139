using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Rules;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Tests.Contract;

/// <summary>
/// Money is long minor units: amounts that could overflow a sum are refused where they enter, with an error that
/// says so, and no sale can fail with a bare "Arithmetic operation resulted in an overflow".
/// </summary>
public class OverflowTests
{
    private const long TwoToThe62 = 1L << 62;

    [Fact]
    public async Task Two_agencies_cannot_each_issue_two_to_the_62_to_one_beneficiary_and_sales_keep_working()
    {
        var l = await new Ledger().WithRetailers();
        foreach (var (op, id) in new[] { (l.WfpOperator, "P-WFP"), (l.UnwOperator, "P-UNW") })
        {
            var huge = await l.Submit(op, c => l.Programmes.CreateProgramme(c, Ledger.Definition(id, TwoToThe62)));
            Assert.Contains("largest amount the ledger takes", huge.FailsWith(400).Message);
            await l.CreateProgramme(op, Ledger.Definition(id, Money.MaxMinor));
            var issue = await l.Submit(op, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch(id, "C1", [new EntitlementGrant(Ledger.Beneficiary(1), TwoToThe62)])));
            Assert.Contains("Row 0: The amount of 4611686018427387904 minor units is above the largest amount", issue.FailsWith(400).Message);
            await l.Issue(op, id, "C1", (1, Money.MaxMinor));
        }
        // The largest amounts two agencies can give one beneficiary still leave every sum in range.
        var sale = (await l.Redeem(l.Receipt(1, 50))).Value;
        Assert.Equal((RedemptionStatus.Accepted, 50L), (sale.Status, sale.Allocations.Sum(a => a.AmountMinor)));
        var largest = (await l.Redeem(l.Receipt(1, Money.MaxMinor))).Value;
        Assert.Equal(2, largest.Allocations.Count); // paid from both agencies' entitlements
    }

    [Fact]
    public async Task Top_ups_and_sales_above_the_largest_amount_are_refused_with_a_clear_error()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", Money.MaxMinor));
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 100));
        var topUp = await l.Submit(l.WfpOperator, c => l.Entitlements.TopUpEntitlement(c, "P1", "C1", Ledger.Beneficiary(1), TwoToThe62));
        Assert.Contains("above the largest amount", topUp.FailsWith(400).Message);
        var sale = await l.Redeem(l.Receipt(1, long.MaxValue));
        Assert.Contains("above the largest amount", sale.FailsWith(400).Message);
    }

    [Fact]
    public void Allocation_over_balances_that_sum_past_long_MaxValue_does_not_overflow()
    {
        // Balances recorded before amounts were capped: their sum does not fit in a long.
        var programme = Ledger.Definition("P1", 1);
        Holding Holding(string id) => new(id, new Entitlement(id, "C1", Ledger.Beneficiary(1), Ledger.Wfp, "USD", Ledger.Start, Ledger.Start.AddDays(30),
            long.MaxValue - 1, 0, 0, 0, 0, long.MaxValue - 1, EntitlementStatus.Active),
            new Programme(id, Ledger.Wfp, "USD", 1, Ledger.Start, Ledger.Start.AddDays(30), 1, programme.Restriction, ["RT-1"], ProgrammeStatus.Active));
        var receipt = new Receipt("T-1:x", "T-1", 1, new string('0', 64), Ledger.Beneficiary(1), new Money(10, "USD"), "food", Ledger.Start.ToUnixTimeMilliseconds());
        var plan = AllocationRule.Plan([Holding("P-A"), Holding("P-B")], receipt, "RT-1");
        Assert.Null(plan.Rejection);
        Assert.Equal(10, plan.Parts.Sum(p => p.Amount));
    }

    [Fact]
    public void Sums_that_overflow_are_refused_with_a_409_naming_what_would_overflow()
    {
        var error = Assert.Throws<Fabric.Shim.Contracts.ChaincodeException>(() => MoneyRules.Total([long.MaxValue, 1], "The payables of retailer RT-1"));
        Assert.Equal(409, error.Status);
        Assert.StartsWith("The payables of retailer RT-1 would exceed the largest amount", error.Message);
    }
}
