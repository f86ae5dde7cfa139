using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Tests.Contract;

public class ReversalAndSettlementTests
{
    private static async Task<Ledger> WithRedemption(string id = "T-1:R-1", long amount = 30)
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 10_000, retailers: ["RT-1", "RT-2"]));
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 100));
        _ = (await l.Redeem(l.Receipt(1, amount, redemptionId: id))).Value;
        return l;
    }

    private static SignedReversal Reversal(Ledger l, string id, string terminal = "T-1") =>
        l.Sign(new ReversalRequest(id, terminal, ReversalReason.GoodsReturned, l.World.Clock.ToUnixTimeMilliseconds()));

    [Fact]
    public async Task The_retailer_reverses_within_the_window_restoring_balance_and_removing_the_payable()
    {
        var l = await WithRedemption();
        var outcome = await l.Submit(l.Gateway, c => l.Redemptions.ReverseByRetailer(c, Reversal(l, "T-1:R-1")));
        Assert.Equal(RedemptionStatus.Reversed, outcome.Value.Status);
        Assert.Equal(ReversalAuthority.Retailer, outcome.Value.Reversal!.By);
        var e = l.EntitlementOf(1, "P1", "C1");
        Assert.Equal((100L, 30L, 30L, true), (e.Balance, e.Redeemed, e.Reversed, e.IsBalanced));
        Assert.Empty(l.All<PayableDelta>(Keys.PayableDelta));
        Assert.Equal("RedemptionReversed", outcome.Commit!.Event!.EventName);
        (await l.Submit(l.Gateway, c => l.Redemptions.ReverseByRetailer(c, Reversal(l, "T-1:R-1")))).FailsWith(409);
    }

    [Fact]
    public async Task After_the_window_only_the_owning_agency_can_reverse()
    {
        var l = await WithRedemption();
        l.World.Clock = l.World.Clock.Add(RedemptionContractWindow).AddSeconds(1);
        (await l.Submit(l.Gateway, c => l.Redemptions.ReverseByRetailer(c, Reversal(l, "T-1:R-1")))).FailsWith(403);
        (await l.Submit(l.UnwOperator, c => l.Redemptions.ReverseByAgency(c, "T-1:R-1", "Fraud"))).FailsWith(403);
        (await l.Submit(l.WfpOperator, c => l.Redemptions.ReverseByAgency(c, "T-1:R-1", "because"))).FailsWith(400);
        var reversed = (await l.Submit(l.WfpOperator, c => l.Redemptions.ReverseByAgency(c, "T-1:R-1", "Fraud"))).Value;
        Assert.Equal((ReversalAuthority.OwningAgency, Ledger.Wfp), (reversed.Reversal!.By, reversed.Reversal.ActorId));
    }

    private static readonly TimeSpan RedemptionContractWindow = CashTransfer.Chaincode.Contracts.RedemptionContract.RetailerReversalWindow;

    [Fact]
    public async Task Another_retailers_terminal_cannot_reverse_and_a_forged_request_is_refused()
    {
        var l = await WithRedemption();
        (await l.Submit(l.Gateway, c => l.Redemptions.ReverseByRetailer(c, Reversal(l, "T-1:R-1", "T-2")))).FailsWith(403);
        var forged = Reversal(l, "T-1:R-1") with { Request = new ReversalRequest("T-1:R-1", "T-1", ReversalReason.Fraud, 0) };
        (await l.Submit(l.Gateway, c => l.Redemptions.ReverseByRetailer(c, forged))).FailsWith(401);
        Assert.Equal(RedemptionStatus.Accepted, l.Committed<Redemption>(Keys.Redemption, "T-1:R-1").Status);
    }

    [Fact]
    public async Task A_suspended_terminal_cannot_reverse_but_the_owning_agency_still_can()
    {
        var l = await WithRedemption();
        await l.Submit(l.WfpOperator, c => l.Retail.SuspendTerminal(c, "T-1", "Routine"));

        var refused = await l.Submit(l.Gateway, c => l.Redemptions.ReverseByRetailer(c, Reversal(l, "T-1:R-1")));

        refused.FailsWith(403);
        Assert.Equal(RedemptionStatus.Accepted, l.Committed<Redemption>(Keys.Redemption, "T-1:R-1").Status);
        Assert.Equal(70L, l.EntitlementOf(1, "P1", "C1").Balance);
        Assert.True((await l.Submit(l.WfpOperator, c => l.Redemptions.ReverseByAgency(c, "T-1:R-1", "Fraud"))).Succeeded);
    }

    [Fact]
    public async Task A_rejected_redemption_cannot_be_reversed()
    {
        var l = await WithRedemption();
        _ = (await l.Redeem(l.Receipt(1, 1000, redemptionId: "T-1:R-BIG"))).Value;
        (await l.Submit(l.WfpOperator, c => l.Redemptions.ReverseByAgency(c, "T-1:R-BIG", "Other"))).FailsWith(409);
    }

    [Fact]
    public async Task Settlement_pays_payables_up_to_the_cut_off_once()
    {
        var l = await WithRedemption("T-1:R-1", 30);
        l.World.Clock = l.World.Clock.AddHours(2);
        _ = (await l.Redeem(l.Receipt(1, 20, redemptionId: "T-1:R-2"))).Value;
        l.World.Clock = l.World.Clock.AddHours(2);

        var request = new SettlementRequest("S-1", "RT-1", Ledger.Start.AddHours(1), "BANK-0001");
        var settled = await l.Submit(l.WfpOperator, c => l.Settlements.Settle(c, request));
        Assert.Equal([new Money(30, "USD")], settled.Value.Totals);
        Assert.Equal(["T-1:R-1"], settled.Value.RedemptionIds);
        Assert.Equal("RetailerSettled", settled.Commit!.Event!.EventName);
        Assert.Equal(["T-1:R-2"], l.All<PayableDelta>(Keys.PayableDelta).Select(d => d.RedemptionId));

        (await l.Submit(l.WfpOperator, c => l.Settlements.Settle(c, request))).FailsWith(409);
        (await l.Submit(l.WfpOperator, c => l.Settlements.Settle(c, request with { SettlementId = "S-2" }))).FailsWith(409);
        var rest = (await l.Submit(l.WfpOperator, c => l.Settlements.Settle(c, new SettlementRequest("S-3", "RT-1", l.World.Clock, "BANK-0002")))).Value;
        Assert.Equal(["T-1:R-2"], rest.RedemptionIds);
        Assert.Empty(l.All<PayableDelta>(Keys.PayableDelta));
    }

    [Fact]
    public async Task An_agency_settles_only_its_own_payables_and_never_into_the_future()
    {
        var l = await WithRedemption();
        (await l.Submit(l.UnwOperator, c => l.Settlements.Settle(c, new SettlementRequest("S-1", "RT-1", l.World.Clock, "BANK-1")))).FailsWith(409);
        (await l.Submit(l.WfpOperator, c => l.Settlements.Settle(c, new SettlementRequest("S-1", "RT-1", l.World.Clock.AddDays(1), "BANK-1")))).FailsWith(400);
        (await l.Submit(l.WfpOperator, c => l.Settlements.Settle(c, new SettlementRequest("S-1", "RT-1", l.World.Clock, "")))).FailsWith(400);
        Assert.Single(l.All<PayableDelta>(Keys.PayableDelta));
    }

    [Fact]
    public async Task A_settled_redemption_cannot_be_reversed()
    {
        var l = await WithRedemption();
        _ = (await l.Submit(l.WfpOperator, c => l.Settlements.Settle(c, new SettlementRequest("S-1", "RT-1", l.World.Clock, "BANK-1")))).Value;
        var refused = await l.Submit(l.Gateway, c => l.Redemptions.ReverseByRetailer(c, Reversal(l, "T-1:R-1")));
        Assert.Contains("settled", refused.FailsWith(409).Message);
        Assert.Equal(70, l.EntitlementOf(1, "P1", "C1").Balance);
    }

    [Fact]
    public async Task Reversal_into_a_revoked_entitlement_counts_as_revoked_not_as_spendable_balance()
    {
        var l = await WithRedemption();
        _ = (await l.Submit(l.WfpOperator, c => l.Entitlements.RevokeEntitlement(c, "P1", "C1", Ledger.Beneficiary(1), "Duplicate"))).Value;
        _ = (await l.Submit(l.WfpOperator, c => l.Redemptions.ReverseByAgency(c, "T-1:R-1", "CashierError"))).Value;
        var e = l.EntitlementOf(1, "P1", "C1");
        Assert.Equal((0L, 100L, 30L, true), (e.Balance, e.Revoked, e.Reversed, e.IsBalanced));
    }

    [Fact]
    public async Task A_retailer_reversal_with_an_unknown_reason_is_refused_naming_the_codes()
    {
        var l = await WithRedemption();
        var signed = l.Sign(new ReversalRequest("T-1:R-1", "T-1", "goodsreturned", l.World.Clock.ToUnixTimeMilliseconds()));
        var error = (await l.Submit(l.Gateway, c => l.Redemptions.ReverseByRetailer(c, signed))).FailsWith(400);
        Assert.Contains("GoodsReturned", error.Message);
        Assert.Equal(RedemptionStatus.Accepted, l.Committed<Redemption>(Keys.Redemption, "T-1:R-1").Status);
    }
}
