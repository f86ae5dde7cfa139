using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;
using Fabric.Client;
using Protos;
using static CashTransfer.Chaincode.EndToEnd.Tests.CashTransferNetwork;

namespace CashTransfer.Chaincode.EndToEnd.Tests;

/// <summary>
/// Redemptions through the real transaction flow (endorse on two agencies' peers, order, validate, commit):
/// many terminals at once commit without conflicts when they serve different beneficiaries, while two spends
/// of one balance can never both commit. No retries anywhere: every commit status is the first one.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class ConcurrentRedemptionTests(CashTransferNetwork network)
{
    [Fact]
    public async Task Many_terminals_redeeming_for_different_beneficiaries_all_commit_valid()
    {
        const int terminalCount = 8, perTerminal = 5;
        var terminals = await network.NewTerminalsAsync(terminalCount);
        var beneficiaries = await network.NewBeneficiariesAsync(terminalCount * perTerminal, 50_000);

        // Each terminal submits its receipts in journal order; the terminals run concurrently, so each block holds
        // redemptions of several terminals. Submit (not SubmitAndCommit) keeps the first commit status of each.
        var outcomes = await Task.WhenAll(terminals.Select((terminal, t) => Task.Run(async () =>
        {
            var results = new List<(Redemption Redemption, CommitStatus Status)>();
            for (var i = 0; i < perTerminal; i++)
            {
                var receipt = terminal.Sell(beneficiaries[t * perTerminal + i], new Money(10_000 + i * 1_000, Currency), "food");
                var submitted = await network.UnhcrGateway.SubmitAsync("Redemption:Redeem", new ProposalOptions().AddArguments(Serialize(receipt)));
                results.Add((Parse<Redemption>(submitted.Result), await submitted.GetStatusAsync()));
            }
            return results;
        })));

        var all = outcomes.SelectMany(o => o).ToList();
        Assert.Equal(terminalCount * perTerminal, all.Count);
        Assert.All(all, o => Assert.Equal(TxValidationCode.Valid, o.Status.Code));
        Assert.All(all, o => Assert.Equal(RedemptionStatus.Accepted, o.Redemption.Status));
        Assert.True(all.Select(o => o.Status.BlockNumber).Distinct().Count() < all.Count, "concurrent redemptions should share blocks");
        for (var t = 0; t < terminalCount; t++)
            for (var i = 0; i < perTerminal; i++)
                Assert.Equal(50_000 - (10_000 + i * 1_000), (await network.EntitlementAsync(beneficiaries[t * perTerminal + i])).Balance);
    }

    [Fact]
    public async Task A_redemption_is_endorsed_by_a_majority_including_the_paying_agency()
    {
        var terminal = (await network.NewTerminalsAsync(1))[0];
        var beneficiary = (await network.NewBeneficiariesAsync(1, 5_000))[0];
        // The gateway user is UNHCR's, the entitlement WFP's: the key-level policy brings WFP's peer in.
        var submitted = await network.UnhcrGateway.SubmitAsync("Redemption:Redeem",
            new ProposalOptions().AddArguments(Serialize(terminal.Sell(beneficiary, new Money(1_000, Currency), "food"))));
        Assert.Equal(TxValidationCode.Valid, (await submitted.GetStatusAsync()).Code);

        var endorsers = network.EndorsersOf(submitted.TransactionId);
        Assert.Equal(2, endorsers.Distinct().Count());
        Assert.Contains("WFPMSP", endorsers);
    }

    [Fact]
    public async Task Two_spends_endorsed_against_the_same_balance_cannot_both_commit()
    {
        var terminals = await network.NewTerminalsAsync(2);
        var beneficiary = (await network.NewBeneficiariesAsync(1, 10_000))[0];
        var first = terminals[0].Sell(beneficiary, new Money(7_000, Currency), "food");
        var second = terminals[1].Sell(beneficiary, new Money(6_000, Currency), "food");

        // Both are endorsed before either is submitted: each alone is affordable, and each simulation saw 10,000.
        var endorsed = await Task.WhenAll(new[] { first, second }.Select(receipt =>
            network.UnhcrGateway.NewProposal("Redemption:Redeem", new ProposalOptions().AddArguments(Serialize(receipt))).EndorseAsync()));
        Assert.All(endorsed, t => Assert.Equal(RedemptionStatus.Accepted, Parse<Redemption>(t.Result).Status));
        var submitted = await Task.WhenAll(endorsed.Select(t => t.SubmitAsync()));
        var statuses = await Task.WhenAll(submitted.Select(s => s.GetStatusAsync()));

        var winner = Assert.Single(statuses, s => s.Code == TxValidationCode.Valid);
        var loser = Assert.Single(statuses, s => s.Code != TxValidationCode.Valid);
        Assert.Equal(TxValidationCode.MvccReadConflict, loser.Code);
        var (won, lost) = winner == statuses[0] ? (first, second) : (second, first);
        Assert.Equal(10_000 - won.Receipt.Amount.Minor, (await network.EntitlementAsync(beneficiary)).Balance);
        Assert.Null(await network.RecordedRedemptionAsync(lost.Receipt.RedemptionId)); // an invalid transaction wrote nothing

        // Resubmitted, the losing receipt is now refused with a recorded reason, and the balance is untouched.
        var retried = await SubmitAsync<Redemption>(network.UnhcrGateway, "Redemption:Redeem", lost);
        Assert.Equal(RedemptionStatus.Rejected, retried.Status);
        Assert.Equal(RejectionCode.InsufficientBalance, retried.Rejection?.Code);
        Assert.Equal(RedemptionStatus.Rejected, (await network.RecordedRedemptionAsync(lost.Receipt.RedemptionId))?.Status);
        Assert.Equal(10_000 - won.Receipt.Amount.Minor, (await network.EntitlementAsync(beneficiary)).Balance);
    }

    [Fact]
    public async Task Two_racing_spends_of_one_balance_leave_exactly_one_redeemed_and_no_negative_balance()
    {
        var terminals = await network.NewTerminalsAsync(2);
        var beneficiary = (await network.NewBeneficiariesAsync(1, 10_000))[0];
        var receipts = new[] { terminals[0].Sell(beneficiary, new Money(8_000, Currency), "food"), terminals[1].Sell(beneficiary, new Money(8_000, Currency), "food") };

        // Raced end to end: the loser is either invalidated (MVCC) or, if it was endorsed after the winner
        // committed, recorded as an insufficient-balance rejection. Never both accepted.
        var outcomes = await Task.WhenAll(receipts.Select(async receipt =>
        {
            var submitted = await network.UnhcrGateway.SubmitAsync("Redemption:Redeem", new ProposalOptions().AddArguments(Serialize(receipt)));
            return (Redemption: Parse<Redemption>(submitted.Result), Status: await submitted.GetStatusAsync());
        }));

        var accepted = Assert.Single(outcomes, o => o.Status.Code == TxValidationCode.Valid && o.Redemption.Status == RedemptionStatus.Accepted);
        var other = Assert.Single(outcomes, o => !ReferenceEquals(o.Redemption, accepted.Redemption));
        Assert.True(other.Status.Code == TxValidationCode.MvccReadConflict
                    || (other.Status.Code == TxValidationCode.Valid && other.Redemption.Rejection?.Code == RejectionCode.InsufficientBalance),
            $"the second spend ended {other.Status.Code} / {other.Redemption.Status} {other.Redemption.Rejection?.Code}");
        var entitlement = await network.EntitlementAsync(beneficiary);
        Assert.Equal(2_000, entitlement.Balance);
        Assert.Equal(8_000, entitlement.Redeemed);
        Assert.True(entitlement.IsBalanced);
    }
}
