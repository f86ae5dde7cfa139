using System.Security.Cryptography;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Local;
using CashTransfer.Contracts;
using CashTransfer.Pos.Receipts;
using Fabric.Client;
using Fabric.Protocol.Identity;
using static CashTransfer.Chaincode.EndToEnd.Tests.CashTransferNetwork;

namespace CashTransfer.Chaincode.EndToEnd.Tests;

/// <summary>
/// Through the real contract on the embedded network: a receipt is judged against the key and status in force when
/// the sale was made and acknowledged (docs/terminal-keys.md), so a rotation or suspension does not destroy sales the
/// service had acknowledged, and a terminal reported stolen cannot sell afterwards.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class KeyChangeTests(CashTransferNetwork network)
{
    private static SignedReceipt Acknowledged(SignedReceipt receipt) => receipt with { AcknowledgedAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };

    [Fact]
    public async Task Acknowledged_sales_survive_a_rotation_and_a_suspension_and_a_stolen_key_sells_nothing_later()
    {
        var original = (await network.NewTerminalsAsync(1))[0];
        var beneficiary = (await network.NewBeneficiariesAsync(1, 10_000))[0];
        var acknowledged = Acknowledged(original.Sell(beneficiary, new Money(1_000, Currency), "food"));

        using var replacement = new DemoTerminal(original.TerminalId, original.RetailerId);
        var rotated = Parse<Terminal>(await network.WfpOperator.SubmitTransactionAsync("Retail:RotateTerminalKey", original.TerminalId, replacement.PublicKeyPem));
        Assert.Equal(2, rotated.KeyVersion);

        var honoured = await SubmitAsync<Redemption>(network.UnhcrGateway, "Redemption:Redeem", acknowledged);
        Assert.Equal((RedemptionStatus.Accepted, 1), (honoured.Status, honoured.KeyVersion));
        var stale = await SubmitAsync<Redemption>(network.UnhcrGateway, "Redemption:Redeem", Acknowledged(original.Sell(beneficiary, new Money(1_000, Currency), "food")));
        Assert.Equal(RejectionCode.KeyRetired, stale.Rejection?.Code);

        var beforeTheft = Acknowledged(replacement.Sell(beneficiary, new Money(1_000, Currency), "food"));
        await network.WfpOperator.SubmitTransactionAsync("Retail:SuspendTerminal", original.TerminalId, "LossOrTheft");
        Assert.Equal(RedemptionStatus.Accepted, (await SubmitAsync<Redemption>(network.UnhcrGateway, "Redemption:Redeem", beforeTheft)).Status);
        var thief = await SubmitAsync<Redemption>(network.UnhcrGateway, "Redemption:Redeem", Acknowledged(replacement.Sell(beneficiary, new Money(1_000, Currency), "food")));
        Assert.Equal(RejectionCode.KeyReportedLost, thief.Rejection?.Code);
        Assert.Equal(8_000, (await network.EntitlementAsync(beneficiary)).Balance);
    }

    [Fact]
    public async Task Another_terminal_cannot_take_a_redemption_id_first()
    {
        var genuineTerminal = (await network.NewTerminalsAsync(1))[0];
        var beneficiary = (await network.NewBeneficiariesAsync(1, 10_000))[0];
        var genuine = genuineTerminal.Sell(beneficiary, new Money(500, Currency), "food");

        // Another registered terminal signs, with its own key, a receipt under the genuine terminal's id.
        using var squatterKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var squatter = $"squat-{network.Run}";
        await SubmitAsync<Terminal>(network.WfpOperator, "Retail:RegisterTerminal", new TerminalRegistration(squatter, network.RetailerId, squatterKey.ExportSubjectPublicKeyInfoPem()));
        using var signer = new CashTransfer.Api.Signing.P256Signer(squatterKey);
        var taken = ReceiptEncoding.Sign(genuine.Receipt with { TerminalId = squatter, Amount = new Money(1, Currency) }, signer);

        var refused = await Assert.ThrowsAnyAsync<GatewayException>(() => network.UnhcrGateway.SubmitTransactionAsync("Redemption:Redeem", Serialize(taken)));
        Assert.Contains(refused.Details, d => d.Message.Contains($"does not belong to terminal {squatter}", StringComparison.Ordinal));
        Assert.Null(await network.RecordedRedemptionAsync(genuine.Receipt.RedemptionId));
        Assert.Equal(RedemptionStatus.Accepted, (await SubmitAsync<Redemption>(network.UnhcrGateway, "Redemption:Redeem", genuine)).Status);
    }
}
