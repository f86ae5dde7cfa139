using CashTransfer.Api;
using System.Net;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>What the gateway acknowledged survives a stop: a new instance on the same data directory finishes the work exactly once.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Acknowledged_receipts_survive_a_restart_and_are_committed_exactly_once()
    {
        var ledger = new FakeLedger();
        var data = TempFolder.Create();
        List<string> ids;
        await using (var first = new GatewayFactory(data, ledger, background: true))
        {
            var t = await TerminalFixture.RegisterAsync(first);
            ledger.Unavailable = true; // the ledger is down while the terminal syncs
            var receipts = t.Next(20);
            ids = receipts.Select(r => r.Receipt.RedemptionId).ToList();
            Assert.Equal(HttpStatusCode.Accepted, (await t.UploadAsync(receipts[..10])).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await t.UploadAsync(receipts[10..])).StatusCode);
            ledger.LostSubmitAnswers = 3;
            ledger.Unavailable = false;
            // Stop while the submitter is in the middle of the outbox.
            await Requests.EventuallyAsync(() => Task.FromResult(ledger.RedeemEffects.Count >= 3), "some receipts committed");
        }

        await using var second = new GatewayFactory(data, ledger, background: true);
        var outbox = second.Get<OutboxRepository>();
        await Requests.EventuallyAsync(async () => (await outbox.FindManyAsync(ids)).All(e => e.Status == ReceiptState.Committed), "all 20 receipts are committed after the restart");
        Assert.Equal(20, ledger.RedeemEffects.Count);
        Assert.All(ids, id => Assert.Equal(1, ledger.RedeemEffects[id]));
        Assert.Equal(20, (await second.Get<TerminalJournalRepository>().GetAsync("T-1")).LastSequence);
    }
}
