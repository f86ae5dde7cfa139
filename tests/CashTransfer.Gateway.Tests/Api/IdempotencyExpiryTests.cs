using System.Net;
using System.Text.Json;
using CashTransfer.Gateway.Idempotency;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>
/// Idempotency-Key records are kept for the configured retention (here one hour, on a clock the test moves): a repeat
/// within it gets the stored response, after it the key is free for a new request; the background purger deletes
/// expired records.
/// </summary>
public sealed class IdempotencyExpiryTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly GatewayFactory _f;

    public IdempotencyExpiryTests() => _f = new GatewayFactory(background: false, clock: _clock, settings: s =>
    {
        s["CashTransfer:Idempotency:Retention"] = "01:00:00";
        s["CashTransfer:Idempotency:PurgeInterval"] = "00:00:00.100";
    });

    public Task InitializeAsync()
    {
        _f.Ledger.Handlers[ChaincodeFunctions.RegisterRetailer] = (caller, args) =>
            new { retailerId = JsonDocument.Parse(args[0]).RootElement.GetProperty("retailerId").GetString(), registeredBy = caller.AgencyMsp };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static HttpRequestMessage Register(string retailerId, string key) =>
        Requests.Post("api/operator/retailers", new { retailerId, categories = new[] { "food" } }, key);

    [Fact]
    public async Task A_repeat_within_the_retention_is_replayed_and_after_it_the_key_is_free()
    {
        using var op = _f.OperatorClient();
        using (var first = await op.SendAsync(Register("R-1", "key-1")))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(59));
        using (var repeat = await op.SendAsync(Register("R-1", "key-1")))
        {
            Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
            Assert.Equal("true", repeat.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        }
        using (var reused = await op.SendAsync(Register("R-2", "key-1")))
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal(1, _f.Ledger.Count("endorse"));

        _clock.Advance(TimeSpan.FromMinutes(2)); // 61 minutes after the first request
        using (var fresh = await op.SendAsync(Register("R-2", "key-1")))
        {
            Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
            Assert.False(fresh.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
            Assert.Equal("R-2", (await fresh.JsonAsync()).GetProperty("retailerId").GetString());
        }
        Assert.Equal(2, _f.Ledger.Count("endorse"));

        // The key now belongs to the new request, for a new retention period.
        using (var repeat = await op.SendAsync(Register("R-2", "key-1")))
            Assert.Equal("true", repeat.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal(2, _f.Ledger.Count("endorse"));
    }

    [Fact]
    public async Task The_purger_deletes_expired_records_and_keeps_the_others()
    {
        using var op = _f.OperatorClient();
        Assert.Equal(HttpStatusCode.Created, (await op.SendAsync(Register("R-1", "early"))).StatusCode);
        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(HttpStatusCode.Created, (await op.SendAsync(Register("R-2", "later"))).StatusCode);
        var records = _f.Get<IdempotencyRepository>();
        var purger = _f.Get<IdempotencyPurger>();
        Assert.Equal(0, await purger.PurgeOnceAsync());

        _clock.Advance(TimeSpan.FromMinutes(31)); // "early" is 61 minutes old, "later" 31
        Assert.Equal(1, await purger.PurgeOnceAsync());
        Assert.Null(await records.FindAsync(GatewayFactory.OperatorKeyId, "early"));
        Assert.NotNull(await records.FindAsync(GatewayFactory.OperatorKeyId, "later"));
    }

    [Fact]
    public async Task The_purger_runs_by_itself_in_the_background()
    {
        using var op = _f.OperatorClient();
        Assert.Equal(HttpStatusCode.Created, (await op.SendAsync(Register("R-1", "background"))).StatusCode);
        var records = _f.Get<IdempotencyRepository>();
        await Task.Delay(300); // a few purge rounds pass while the record is young
        Assert.NotNull(await records.FindAsync(GatewayFactory.OperatorKeyId, "background"));
        _clock.Advance(TimeSpan.FromHours(2));
        await Requests.EventuallyAsync(async () => await records.FindAsync(GatewayFactory.OperatorKeyId, "background") is null, "the purger removed the expired record");
    }
}
