using System.Net;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Projection;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Submission;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>The checkpointed event projection: read models follow the ledger and a restart resumes without gaps or duplicates.</summary>
public sealed class ProjectionTests
{
    [Fact]
    public async Task Read_models_follow_events_and_a_restart_resumes_after_the_checkpoint()
    {
        var ledger = new FakeLedger { EndEventStreamWhenIdle = true };
        var data = TempFolder.Create();
        List<string> ids;
        TestKey originalKey;
        await using (var f = new GatewayFactory(data, ledger, background: false))
        {
            var t = await TerminalFixture.RegisterAsync(f);
            originalKey = t.Key;
            var receipts = t.Next(3);
            ids = receipts.Select(r => r.Receipt.RedemptionId).ToList();
            Assert.Equal(HttpStatusCode.Accepted, (await t.UploadAsync(receipts)).StatusCode);
            await Requests.EventuallyAsync(async () =>
            {
                await f.Get<OutboxSubmitter>().RunOnceAsync(CancellationToken.None);
                return ledger.RedeemEffects.Count == 3;
            }, "three redemptions on the ledger");
            await f.Get<EventProjector>().RunAsync(CancellationToken.None);

            var views = f.Get<ProjectionRepository>();
            Assert.Equal("Accepted", (await views.FindReceiptStatusAsync(ids[0]))!.LedgerStatus);
            Assert.Equal(3, (await views.ListPayablesAsync("R-1")).Count);
            Assert.Equal(new ProjectionCheckpoint(ledger.Events[^1].BlockNumber, ledger.Events[^1].TxId), await views.GetCheckpointAsync());
            Assert.Equal(3, ledger.Delivered.Count);
        }

        // Meanwhile on the ledger: a settlement of two redemptions by Org1MSP and a key rotation of the terminal.
        ledger.Emit(ChaincodeEvents.RetailerSettled, new { settlementId = "S-1", agencyMsp = "Org1MSP", retailerId = "R-1", redemptionIds = ids[..2] });
        using var rotated = new TestKey();
        ledger.Emit(ChaincodeEvents.TerminalUpdated, new { terminalId = "T-1", retailerId = "R-1", publicKeyPem = rotated.PublicKeyPem, keyVersion = 2, status = "Active", registeredBy = "Org1MSP" });

        await using (var f = new GatewayFactory(data, ledger, background: false))
        {
            await f.Get<EventProjector>().RunAsync(CancellationToken.None);
            Assert.Equal(5, ledger.Delivered.Count); // the two new events, nothing delivered twice
            Assert.Equal(ledger.Events.Select(e => e.TxId), ledger.Delivered.Select(e => e.TxId));
            var payables = await f.Get<ProjectionRepository>().ListPayablesAsync("R-1");
            Assert.Equal(ids[2], Assert.Single(payables).RedemptionId);

            // The rotation took effect: the old key no longer authenticates, the new one does.
            using var oldKey = f.TerminalClient("T-1", originalKey);
            using var newKey = f.TerminalClient("T-1", rotated);
            Assert.Equal(HttpStatusCode.Unauthorized, (await oldKey.GetAsync("api/pos/outcomes")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await newKey.GetAsync("api/pos/outcomes")).StatusCode);
        }
    }

    [Fact]
    public async Task Events_that_have_arrived_are_applied_together_with_the_checkpoint_of_the_last_off_the_thread_pool()
    {
        var ledger = new FakeLedger { EndEventStreamWhenIdle = true };
        using var key = new TestKey();
        const int count = 1200;
        for (var i = 1; i <= count; i++)
            ledger.Emit(ChaincodeEvents.TerminalUpdated, new { terminalId = $"T-{i:D4}", retailerId = "R-1", publicKeyPem = key.PublicKeyPem, keyVersion = 1, status = "Active", registeredBy = "Org1MSP" });
        await using var f = new GatewayFactory(ledger: ledger, background: false);
        var database = new RecordingDatabase(f.Get<IDatabase>());
        var projector = new EventProjector(database, f.Get<ProjectionRepository>(), f.Get<EventApplier>(), ledger,
            f.Get<Microsoft.Extensions.Options.IOptions<CashTransfer.Gateway.Options.ServiceOptions>>(), f.Get<CashTransfer.Gateway.Telemetry.GatewayMetrics>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EventProjector>.Instance);

        // Started from the thread pool as the host starts it, not from the test framework's own threads.
        await Task.Run(() => projector.RunAsync(CancellationToken.None));

        var terminals = f.Get<TerminalRepository>();
        Assert.NotNull(await terminals.FindAsync("T-0001"));
        Assert.NotNull(await terminals.FindAsync($"T-{count}"));
        Assert.Equal(new ProjectionCheckpoint(ledger.Events[^1].BlockNumber, ledger.Events[^1].TxId), await f.Get<ProjectionRepository>().GetCheckpointAsync());
        Assert.Equal(count, ledger.Delivered.Count);
        // One transaction per event would be 1,200; the events were all there, so they go at most 500 to a transaction.
        Assert.InRange(database.Openers.Count, 3, count / 10);
        // SQLite blocks its thread through each commit's fsync: the projection's transactions stay off the thread pool.
        Assert.All(database.Openers, opener => Assert.False(opener.OnThreadPool, "a projection transaction ran on a thread-pool thread"));
    }

    [Fact]
    public async Task Balances_are_read_through_and_dropped_when_an_event_changes_them()
    {
        var ledger = new FakeLedger { EndEventStreamWhenIdle = true };
        var balance = 1000L;
        ledger.Handlers[ChaincodeFunctions.GetBeneficiaryEntitlements] = (_, args) => new
        {
            items = new[] { new { programmeId = "P-1", cycle = "c1", beneficiaryHash = args[0], ownerMsp = "Org1MSP", currency = "KES", validUntil = "2026-12-31T00:00:00Z", balance, status = "Active" } },
            bookmark = "",
        };
        await using var f = new GatewayFactory(ledger: ledger, background: false);
        var t = await TerminalFixture.RegisterAsync(f);

        var first = await (await t.Http.GetAsync($"api/pos/balances/{Beneficiaries.One}")).JsonAsync();
        Assert.Equal(("ledger", 1000), (first.GetProperty("source").GetString(), first.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt32()));
        balance = 500;
        var cached = await (await t.Http.GetAsync($"api/pos/balances/{Beneficiaries.One}")).JsonAsync();
        Assert.Equal(("read-model", 1000), (cached.GetProperty("source").GetString(), cached.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt32()));

        Assert.Equal(HttpStatusCode.Accepted, (await t.UploadAsync([t.Next(amountMinor: 500)])).StatusCode);
        await Requests.EventuallyAsync(async () => { await f.Get<OutboxSubmitter>().RunOnceAsync(CancellationToken.None); return ledger.RedeemEffects.Count == 1; }, "the redemption commits");
        await f.Get<EventProjector>().RunAsync(CancellationToken.None);
        var after = await (await t.Http.GetAsync($"api/pos/balances/{Beneficiaries.One}")).JsonAsync();
        Assert.Equal(("ledger", 500), (after.GetProperty("source").GetString(), after.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, (await t.Http.GetAsync("api/pos/balances/not-a-hash")).StatusCode);
    }
}
