using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Tests.Contract;

/// <summary>
/// <c>Retail:SuspendRetailer</c> / <c>ReactivateRetailer</c>: while a retailer is suspended none of its terminals' sales
/// count, a sale made and acknowledged before the suspension still does, and only the registering agency decides.
/// </summary>
public class RetailerSuspensionTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static async Task<Ledger> WithCashProgramme()
    {
        var l = await new Ledger().WithRetailers();
        await l.AddTerminal("T-1b", "RT-1");
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 10_000, retailers: ["RT-1", "RT-2"]));
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 1_000));
        return l;
    }

    private static Task<Fabric.Shim.Testing.TransactionOutcome<Redemption>> Redeem(Ledger l, Receipt receipt, DateTimeOffset acknowledgedAt) =>
        l.Submit(l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(receipt) with { AcknowledgedAtUnixMs = acknowledgedAt.ToUnixTimeMilliseconds() }));

    private static async Task<Retailer> Suspend(Ledger l) => (await l.Submit(l.WfpOperator, c => l.Retail.SuspendRetailer(c, "RT-1"))).Value;
    private static async Task<Retailer> Reactivate(Ledger l) => (await l.Submit(l.WfpOperator, c => l.Retail.ReactivateRetailer(c, "RT-1"))).Value;

    [Fact]
    public async Task Every_terminal_of_a_suspended_retailer_is_refused_and_other_retailers_are_not()
    {
        var l = await WithCashProgramme();
        Assert.Equal(ParticipantStatus.Suspended, (await Suspend(l)).Status);
        foreach (var terminal in new[] { "T-1", "T-1b" })
        {
            var refused = (await l.Redeem(l.Receipt(1, 10, terminal: terminal))).Value;
            Assert.Equal(RejectionCode.RetailerSuspended, refused.Rejection!.Code);
        }
        Assert.Equal(RedemptionStatus.Accepted, (await l.Redeem(l.Receipt(1, 10, terminal: "T-2"))).Value.Status);
        Assert.Equal(1_000 - 10, l.EntitlementOf(1, "P1", "C1").Balance);
        Assert.Equal(ParticipantStatus.Active, l.Committed<Terminal>("Terminal", "T-1").Status); // the terminals keep their own status
    }

    [Fact]
    public async Task A_sale_made_and_acknowledged_before_the_suspension_counts_and_one_made_during_it_never_does()
    {
        var l = await WithCashProgramme();
        var before = l.Receipt(1, 30, at: l.World.Clock);
        var acknowledgedBefore = l.World.Clock;
        var lateAcknowledged = l.Receipt(1, 30, at: l.World.Clock);
        l.World.Clock += Minute;
        await Suspend(l);
        l.World.Clock += Minute;
        var during = l.Receipt(1, 30, at: l.World.Clock);
        var acknowledgedDuring = l.World.Clock;
        l.World.Clock += Minute;
        var reactivated = await Reactivate(l);
        Assert.Equal(ParticipantStatus.Active, reactivated.Status);
        Assert.NotNull(Assert.Single(reactivated.SuspensionHistory).Until);
        l.World.Clock += Minute;

        Assert.Equal(RedemptionStatus.Accepted, (await Redeem(l, before, acknowledgedBefore)).Value.Status);
        Assert.Equal(RejectionCode.RetailerSuspended, (await Redeem(l, lateAcknowledged, acknowledgedDuring)).Value.Rejection!.Code);
        Assert.Equal(RejectionCode.RetailerSuspended, (await Redeem(l, during, acknowledgedDuring)).Value.Rejection!.Code);
        Assert.Equal(RedemptionStatus.Accepted, (await Redeem(l, l.Receipt(1, 30, at: l.World.Clock), l.World.Clock)).Value.Status);
    }

    [Fact]
    public async Task Only_the_registering_agency_suspends_and_a_repeat_writes_nothing()
    {
        var l = await WithCashProgramme();
        (await l.Submit(l.UnwOperator, c => l.Retail.SuspendRetailer(c, "RT-1"))).FailsWith(403);
        (await l.Submit(l.Auditor, c => l.Retail.SuspendRetailer(c, "RT-1"))).FailsWith(403);
        (await l.Submit(l.WfpOperator, c => l.Retail.SuspendRetailer(c, "RT-9"))).FailsWith(404);
        await Suspend(l);
        var repeat = await l.Submit(l.WfpOperator, c => l.Retail.SuspendRetailer(c, "RT-1"));
        Assert.Equal(0, repeat.Commit!.WrittenKeys);
        Assert.Single((await Suspend(l)).SuspensionHistory);
        var again = await l.Submit(l.WfpOperator, c => l.Retail.ReactivateRetailer(c, "RT-1"));
        Assert.True(again.Succeeded);
        Assert.Equal(0, (await l.Submit(l.WfpOperator, c => l.Retail.ReactivateRetailer(c, "RT-1"))).Commit!.WrittenKeys);
    }
}
