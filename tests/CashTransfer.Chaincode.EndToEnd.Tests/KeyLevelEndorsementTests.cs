using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;
using Fabric.Client;
using Protos;
using static CashTransfer.Chaincode.EndToEnd.Tests.CashTransferNetwork;

namespace CashTransfer.Chaincode.EndToEnd.Tests;

/// <summary>
/// Each entitlement key carries a key-level endorsement policy naming its programme's owning agency. The channel's
/// MAJORITY policy alone would accept two other agencies' endorsements; the committer must not.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class KeyLevelEndorsementTests(CashTransferNetwork network)
{
    [Fact]
    public async Task A_spend_of_WFP_entitlements_endorsed_only_by_two_other_agencies_is_invalidated()
    {
        var terminal = (await network.NewTerminalsAsync(1))[0];
        var beneficiary = (await network.NewBeneficiariesAsync(1, 10_000))[0];
        var receipt = terminal.Sell(beneficiary, new Money(4_000, Currency), "food");

        var transaction = await network.UnhcrGateway.NewProposal("Redemption:Redeem",
            new ProposalOptions().AddArguments(Serialize(receipt)).WithEndorsingOrganizations("UNWomenMSP", "UNHCRMSP")).EndorseAsync();
        Assert.Equal(RedemptionStatus.Accepted, Parse<Redemption>(transaction.Result).Status); // the chaincode itself agreed
        var status = await (await transaction.SubmitAsync()).GetStatusAsync();

        Assert.Equal(TxValidationCode.EndorsementPolicyFailure, status.Code);
        Assert.Equal(10_000, (await network.EntitlementAsync(beneficiary)).Balance);
        Assert.Null(await network.RecordedRedemptionAsync(receipt.Receipt.RedemptionId));

        // The same receipt endorsed with the owner among a majority commits.
        var redeemed = await SubmitAsync<Redemption>(network.UnhcrGateway, "Redemption:Redeem", receipt);
        Assert.Equal(RedemptionStatus.Accepted, redeemed.Status);
        Assert.Equal(6_000, (await network.EntitlementAsync(beneficiary)).Balance);
    }

    [Fact]
    public async Task A_top_up_by_the_owner_endorsed_without_the_owners_peer_is_invalidated()
    {
        var beneficiary = (await network.NewBeneficiariesAsync(1, 10_000))[0];
        var args = new[] { network.FoodProgramme, Cycle, beneficiary, "5000" };

        var transaction = await network.WfpOperator.NewProposal("Entitlement:TopUpEntitlement",
            new ProposalOptions().AddArguments(args).WithEndorsingOrganizations("UNWomenMSP", "UNHCRMSP")).EndorseAsync();
        var status = await (await transaction.SubmitAsync()).GetStatusAsync();

        Assert.Equal(TxValidationCode.EndorsementPolicyFailure, status.Code);
        var entitlement = await network.EntitlementAsync(beneficiary);
        Assert.Equal(10_000, entitlement.Issued);
        Assert.Equal(10_000, entitlement.Balance);

        var proper = await network.WfpOperator.NewProposal("Entitlement:TopUpEntitlement",
            new ProposalOptions().AddArguments(args).WithEndorsingOrganizations("WFPMSP", "UNHCRMSP")).EndorseAsync();
        Assert.Equal(TxValidationCode.Valid, (await (await proper.SubmitAsync()).GetStatusAsync()).Code);
        Assert.Equal(15_000, (await network.EntitlementAsync(beneficiary)).Balance);
    }
}
