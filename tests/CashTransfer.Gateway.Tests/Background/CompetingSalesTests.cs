using System.Net;
using CashTransfer.Api;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>
/// The concurrent submitter runs unrelated receipts side by side, but two sales that spend from one beneficiary's
/// balance are decided in journal order: the earlier sale wins even when the ledger is slow to take it.
/// </summary>
public sealed class CompetingSalesTests
{
    private const long Balance = 500;

    [Fact]
    public async Task Two_sales_on_one_beneficiary_are_decided_in_journal_order_while_an_unrelated_sale_goes_ahead()
    {
        await using var f = new GatewayFactory(settings: s =>
        {
            s["CashTransfer:Submitter:Concurrency"] = "8";
            s["CashTransfer:Submitter:BatchSize"] = "64";
        });
        var terminal = await TerminalFixture.RegisterAsync(f, "T-1");
        // The ledger's rule: a sale is accepted while the beneficiary's committed sales leave enough of the balance, as
        // the contract reads it at endorsement.
        f.Ledger.RedeemRule = r => SpentFrom(f.Ledger, r.BeneficiaryHash) + r.Amount.Minor <= Balance ? null : "InsufficientBalance";

        var first = terminal.Next(400, beneficiary: Beneficiaries.One);
        var second = terminal.Next(300, beneficiary: Beneficiaries.One); // competes with the first: only one of them fits
        var unrelated = terminal.Next(100, beneficiary: Beneficiaries.Two);
        // The ledger holds the first sale's endorsement until the unrelated (later) sale has committed, and, if the
        // competing second sale was sent meanwhile, until that one has committed too: a submitter that let the second
        // sale overtake the first would see the second win.
        f.Ledger.BeforeRedeem = async (r, ct) =>
        {
            if (r.RedemptionId != first.Receipt.RedemptionId) return;
            await UntilAsync(() => Committed(f.Ledger, unrelated), ct);
            if (Endorsed(f.Ledger, second))
                await UntilAsync(() => Committed(f.Ledger, second), ct);
        };

        Assert.Equal(HttpStatusCode.Accepted, (await terminal.UploadAsync([first, second, unrelated])).StatusCode);
        var ids = new[] { first, second, unrelated }.Select(r => r.Receipt.RedemptionId).ToList();
        await Requests.EventuallyAsync(async () => (await f.Get<OutboxRepository>().FindManyAsync(ids)).All(e => ReceiptLifecycle.IsFinal(e.Status)),
            "every sale is decided");

        var decided = (await f.Get<OutboxRepository>().FindManyAsync(ids)).ToDictionary(e => e.RedemptionId);
        Assert.Equal(ReceiptState.Committed, decided[first.Receipt.RedemptionId].Status);
        Assert.Equal((ReceiptState.Rejected, "InsufficientBalance"), (decided[second.Receipt.RedemptionId].Status, decided[second.Receipt.RedemptionId].Reason));
        Assert.Equal(ReceiptState.Committed, decided[unrelated.Receipt.RedemptionId].Status);
        // The unrelated sale did not wait for the held one: it is on the ledger before the first sale.
        Assert.Equal([unrelated.Receipt.RedemptionId, first.Receipt.RedemptionId, second.Receipt.RedemptionId],
            f.Ledger.CommitOrder.Select(r => r.RedemptionId));
    }

    private static long SpentFrom(FakeLedger ledger, string beneficiary) => ledger.CommitOrder
        .Where(r => r.BeneficiaryHash == beneficiary && ledger.Redemptions[r.RedemptionId].Contains("\"status\":\"Accepted\"", StringComparison.Ordinal))
        .Sum(r => r.Amount.Minor);

    private static bool Committed(FakeLedger ledger, SignedReceipt receipt) => ledger.Redemptions.ContainsKey(receipt.Receipt.RedemptionId);

    /// <summary>Whether a Redeem of this receipt has reached the ledger (its endorsement was asked for).</summary>
    private static bool Endorsed(FakeLedger ledger, SignedReceipt receipt) => ledger.EndorsedReceipts.ContainsKey(receipt.Receipt.RedemptionId);

    private static async Task UntilAsync(Func<bool> condition, CancellationToken ct)
    {
        // A safety net against a hang, not a timed assertion: the outcome checks above decide the test.
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        giveUp.CancelAfter(TimeSpan.FromSeconds(60));
        while (!condition()) await Task.Delay(10, giveUp.Token);
    }
}
