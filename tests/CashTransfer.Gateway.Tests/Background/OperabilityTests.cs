using System.Diagnostics.Metrics;
using System.Net;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Telemetry;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>Logs without personal data, metrics, and the online redemption path end to end (with the background workers running).</summary>
public sealed class OperabilityTests
{
    [Fact]
    public async Task Online_redemption_answers_with_the_outcome_and_logs_carry_no_beneficiary_or_receipt_body()
    {
        await using var f = new GatewayFactory();
        var meters = f.Get<IMeterFactory>(); // this instance's meters only (other tests run in parallel)
        var measurements = new List<(string Name, long Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == GatewayMetrics.MeterName && instrument.Meter.Scope == meters) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => { lock (measurements) measurements.Add((instrument.Name, value)); });
        listener.Start();

        f.Ledger.Handlers[ChaincodeFunctions.GetBeneficiaryEntitlements] = (_, _) => new { items = Array.Empty<object>(), bookmark = "" };
        var t = await TerminalFixture.RegisterAsync(f);
        var receipt = t.Next();
        using var response = await t.Http.SendAsync(Requests.Post("api/pos/redemptions", receipt));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = await response.JsonAsync();
        Assert.Equal(("committed", 1L), (outcome.GetProperty("status").GetString(), outcome.GetProperty("sequence").GetInt64()));
        Assert.Equal(HttpStatusCode.Accepted, (await t.UploadAsync(t.Next(2))).StatusCode);
        await t.Http.GetAsync($"api/pos/balances/{Beneficiaries.One}");
        await Requests.EventuallyAsync(async () => (await f.Get<OutboxRepository>().CountByStatusAsync()).GetValueOrDefault("committed") == 3, "all receipts commit");

        var logs = f.LogLines.ToArray();
        Assert.Contains(logs, l => l.Contains("committed in block"));
        Assert.DoesNotContain(logs, l => l.Contains(Beneficiaries.One));
        Assert.DoesNotContain(logs, l => l.Contains(receipt.Signature));
        lock (measurements)
        {
            Assert.Equal(3, measurements.Where(m => m.Name == "cashtransfer.receipts.received").Sum(m => m.Value));
            Assert.Equal(3, measurements.Where(m => m.Name == "cashtransfer.receipts.finished").Sum(m => m.Value));
        }
    }

    [Fact]
    public void Beneficiaries_appear_in_logs_only_as_keyed_hashes()
    {
        var hasher = new LogHasher(Microsoft.Extensions.Options.Options.Create(new CashTransfer.Gateway.Options.ServiceOptions { LogHashKey = "k1" }));
        var other = new LogHasher(Microsoft.Extensions.Options.Options.Create(new CashTransfer.Gateway.Options.ServiceOptions { LogHashKey = "k2" }));
        var a = hasher.Beneficiary(Beneficiaries.One);
        Assert.Equal(a, hasher.Beneficiary(Beneficiaries.One));
        Assert.NotEqual(a, hasher.Beneficiary(Beneficiaries.Two));
        Assert.NotEqual(a, other.Beneficiary(Beneficiaries.One)); // keyed: without the key it cannot be linked to the ledger hash
        Assert.DoesNotContain(a[2..], Beneficiaries.One);
    }

    [Fact]
    public async Task Settings_come_from_environment_variables()
    {
        Environment.SetEnvironmentVariable("CashTransfer__Intake__MaxBatchReceipts", "7");
        try
        {
            await using var f = new GatewayFactory(settings: s => s.Remove("CashTransfer:Intake:MaxBatchReceipts"));
            Assert.Equal(7, f.Get<Microsoft.Extensions.Options.IOptions<CashTransfer.Gateway.Options.ServiceOptions>>().Value.Intake.MaxBatchReceipts);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CashTransfer__Intake__MaxBatchReceipts", null);
        }
    }
}
