using System.Text.Json;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;
using CashTransfer.Local;
using Fabric.Client;
using Protos;
using static CashTransfer.Chaincode.EndToEnd.Tests.CashTransferNetwork;

namespace CashTransfer.Chaincode.EndToEnd.Tests;

/// <summary>
/// A retailer reverses its own redemption with a request signed by one of its terminals, through the real
/// transaction flow: the entitlement gets the money back, the payable goes, RedemptionReversed is emitted. A
/// redemption is reversed once, only by its own retailer, and not once it has been settled (the money is paid out).
/// Each test uses a retailer of its own, so its payables are its alone.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class RetailerReversalTests(CashTransferNetwork network)
{
    [Fact]
    public async Task A_retailer_reverses_its_own_redemption_restoring_the_balance_and_removing_the_payable()
    {
        var (terminal, beneficiary, redemption) = await RedeemAtNewRetailerAsync(10_000, 3_000);
        var payable = Assert.Single(await network.PayablesAsync(terminal.RetailerId));
        Assert.Equal((redemption.RedemptionId, "WFPMSP", new Money(3_000, Currency)), (payable.RedemptionId, payable.AgencyMsp, payable.Amount));

        var submitted = await network.UnhcrGateway.SubmitAsync("Redemption:ReverseByRetailer",
            new ProposalOptions().AddArguments(Serialize(terminal.RequestReversal(redemption.RedemptionId, ReversalReason.GoodsReturned))));
        Assert.Equal(TxValidationCode.Valid, (await submitted.GetStatusAsync()).Code);

        var reversed = Parse<Redemption>(submitted.Result);
        Assert.Equal(RedemptionStatus.Reversed, reversed.Status);
        Assert.Equal((ReversalAuthority.Retailer, terminal.TerminalId, ReversalReason.GoodsReturned, submitted.TransactionId),
            (reversed.Reversal!.By, reversed.Reversal.ActorId, reversed.Reversal.Reason, reversed.Reversal.TxId));
        var entitlement = await network.EntitlementAsync(beneficiary);
        Assert.Equal((10_000L, 3_000L, 3_000L, true), (entitlement.Balance, entitlement.Redeemed, entitlement.Reversed, entitlement.IsBalanced));
        Assert.Empty(await network.PayablesAsync(terminal.RetailerId));
        Assert.Equal(RedemptionStatus.Reversed, (await network.RecordedRedemptionAsync(redemption.RedemptionId))?.Status);

        var emitted = network.EventOf(submitted.TransactionId);
        Assert.Equal("RedemptionReversed", emitted?.EventName);
        var payload = JsonSerializer.Deserialize<Redemption>(emitted!.Payload.Span, Json)!;
        Assert.Equal((redemption.RedemptionId, RedemptionStatus.Reversed), (payload.RedemptionId, payload.Status));
    }

    [Fact]
    public async Task A_second_reversal_of_the_same_redemption_is_refused_and_restores_nothing_more()
    {
        var (terminal, beneficiary, redemption) = await RedeemAtNewRetailerAsync(10_000, 2_500);
        var first = await SubmitAsync<Redemption>(network.UnhcrGateway, "Redemption:ReverseByRetailer",
            terminal.RequestReversal(redemption.RedemptionId, ReversalReason.CashierError));
        Assert.Equal(RedemptionStatus.Reversed, first.Status);

        var refused = await RefusedAsync(terminal.RequestReversal(redemption.RedemptionId, ReversalReason.CashierError));

        Assert.Contains($"Redemption {redemption.RedemptionId} is Reversed; only an accepted redemption can be reversed.", refused);
        var entitlement = await network.EntitlementAsync(beneficiary);
        Assert.Equal((10_000L, 2_500L), (entitlement.Balance, entitlement.Reversed));
        Assert.Equal(first.Reversal, (await network.RecordedRedemptionAsync(redemption.RedemptionId))?.Reversal);
    }

    [Fact]
    public async Task Another_retailers_terminal_cannot_reverse_the_redemption()
    {
        var (terminal, beneficiary, redemption) = await RedeemAtNewRetailerAsync(10_000, 4_000);
        var otherRetailer = await network.NewRetailerAsync();
        var stranger = (await network.NewTerminalsAsync(1, otherRetailer))[0];

        var refused = await RefusedAsync(stranger.RequestReversal(redemption.RedemptionId, ReversalReason.GoodsReturned));

        Assert.Contains($"Redemption {redemption.RedemptionId} was made at retailer {terminal.RetailerId}; terminal {stranger.TerminalId} cannot reverse it.", refused);
        Assert.Equal(6_000, (await network.EntitlementAsync(beneficiary)).Balance);
        Assert.Single(await network.PayablesAsync(terminal.RetailerId));
        Assert.Equal(RedemptionStatus.Accepted, (await network.RecordedRedemptionAsync(redemption.RedemptionId))?.Status);
    }

    [Fact]
    public async Task A_settled_redemption_cannot_be_reversed_by_its_retailer()
    {
        var (terminal, beneficiary, redemption) = await RedeemAtNewRetailerAsync(10_000, 1_500);
        var settlement = await SubmitAsync<Settlement>(network.WfpOperator, "Settlement:Settle",
            new SettlementRequest($"settle-{terminal.RetailerId}", terminal.RetailerId, DateTimeOffset.UtcNow, $"BANK-{terminal.RetailerId}"));
        Assert.Equal([redemption.RedemptionId], settlement.RedemptionIds);
        Assert.Empty(await network.PayablesAsync(terminal.RetailerId));

        var refused = await RefusedAsync(terminal.RequestReversal(redemption.RedemptionId, ReversalReason.GoodsReturned));

        // The contract's rule: a settled payable is corrected off-ledger, never by reversing on the ledger.
        Assert.Contains($"Redemption {redemption.RedemptionId} has been settled by WFPMSP; correct it with the retailer off-ledger.", refused);
        Assert.Equal(8_500, (await network.EntitlementAsync(beneficiary)).Balance);
        Assert.Equal(RedemptionStatus.Accepted, (await network.RecordedRedemptionAsync(redemption.RedemptionId))?.Status);
    }

    // A new retailer with one terminal, a new beneficiary issued `issued`, and an accepted redemption of `spent` there.
    private async Task<(DemoTerminal Terminal, string Beneficiary, Redemption Redemption)> RedeemAtNewRetailerAsync(long issued, long spent)
    {
        var retailer = await network.NewRetailerAsync();
        var terminal = (await network.NewTerminalsAsync(1, retailer))[0];
        var beneficiary = (await network.NewBeneficiariesAsync(1, issued))[0];
        var redemption = await SubmitAsync<Redemption>(network.UnhcrGateway, "Redemption:Redeem", terminal.Sell(beneficiary, new Money(spent, Currency), "food"));
        Assert.Equal(RedemptionStatus.Accepted, redemption.Status);
        return (terminal, beneficiary, redemption);
    }

    // The chaincode refuses the reversal at endorsement: nothing is submitted; returns what the endorsers said.
    private async Task<string> RefusedAsync(SignedReversal reversal)
    {
        var e = await Assert.ThrowsAsync<EndorseException>(() =>
            network.UnhcrGateway.SubmitAsync("Redemption:ReverseByRetailer", new ProposalOptions().AddArguments(Serialize(reversal))));
        return e.Message + " " + string.Join(" | ", e.Details.Select(d => d.Message));
    }
}
