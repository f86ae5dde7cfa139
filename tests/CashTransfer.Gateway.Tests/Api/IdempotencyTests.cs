using System.Net;
using CashTransfer.Gateway.Idempotency;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>Idempotency-Key on every mutating endpoint.</summary>
public sealed class IdempotencyTests : IAsyncLifetime
{
    private readonly GatewayFactory _f = new(background: false);

    public Task InitializeAsync()
    {
        _f.Ledger.Handlers[ChaincodeFunctions.RegisterRetailer] = (caller, args) => new { retailerId = System.Text.Json.JsonDocument.Parse(args[0]).RootElement.GetProperty("retailerId").GetString(), registeredBy = caller.AgencyMsp };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static object Retailer(string id) => new { retailerId = id, categories = new[] { "food" } };

    [Fact]
    public async Task A_change_without_an_idempotency_key_is_refused_and_changes_nothing()
    {
        using var op = _f.OperatorClient();
        using var request = Requests.PostRaw("api/operator/retailers", "{\"retailerId\":\"R-9\",\"categories\":[\"food\"]}", "application/json", idempotencyKey: "");
        using var response = await op.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:cashtransfer:problem:idempotency-key-missing", (await response.JsonAsync()).GetProperty("type").GetString());
        Assert.Equal(0, _f.Ledger.Count("endorse"));
    }

    [Fact]
    public async Task A_repeat_returns_the_stored_status_and_body_without_running_again()
    {
        using var op = _f.OperatorClient();
        using var first = await op.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-1"), "key-1"));
        using var repeat = await op.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-1"), "key-1"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        Assert.False(first.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal("true", repeat.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal(1, _f.Ledger.Count("endorse"));
    }

    [Fact]
    public async Task A_replayed_202_points_where_the_first_one_did()
    {
        using var op = _f.OperatorClient();
        const string csv = "beneficiaryHash,amountMinor\n" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,1000\n";
        using var first = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv, "text/csv", idempotencyKey: "upload-1"));
        using var repeat = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv, "text/csv", idempotencyKey: "upload-1"));
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, repeat.StatusCode));
        Assert.NotNull(first.Headers.Location);
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal("true", repeat.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
    }

    [Fact]
    public async Task A_refusal_is_also_replayed_as_it_was()
    {
        _f.Ledger.Handlers[ChaincodeFunctions.RegisterRetailer] = (_, _) => throw new ChaincodeRejectedException(409, "Retailer R-1 is registered already.");
        using var op = _f.OperatorClient();
        using var first = await op.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-1"), "key-2"));
        using var repeat = await op.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-1"), "key-2"));
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (first.StatusCode, repeat.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        Assert.Equal(1, _f.Ledger.Count("endorse"));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_gets_422()
    {
        using var op = _f.OperatorClient();
        Assert.Equal(HttpStatusCode.Created, (await op.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-1"), "key-3"))).StatusCode);
        using var other = await op.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-2"), "key-3"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("urn:cashtransfer:problem:idempotency-key-reused", (await other.JsonAsync()).GetProperty("type").GetString());
        Assert.Equal(1, _f.Ledger.Count("endorse"));
    }

    [Fact]
    public async Task Keys_belong_to_one_client()
    {
        using var op1 = _f.OperatorClient();
        using var op2 = _f.Client(GatewayFactory.OtherOperatorKeyId, _f.OtherOperator);
        Assert.Equal(HttpStatusCode.Created, (await op1.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-1"), "shared"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await op2.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-2"), "shared"))).StatusCode);
        Assert.Equal(2, _f.Ledger.Count("endorse"));
    }

    [Fact]
    public async Task Concurrent_duplicates_do_not_both_execute()
    {
        _f.Ledger.EndorseDelay = TimeSpan.FromMilliseconds(300);
        using var op = _f.OperatorClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => op.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-1"), "key-4"))));
        Assert.Equal(1, _f.Ledger.Count("endorse"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
    }

    [Fact]
    public async Task A_server_side_failure_releases_the_key_so_the_client_can_retry()
    {
        _f.Ledger.Unavailable = true;
        using var op = _f.OperatorClient();
        using var failed = await op.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-1"), "key-5"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("5", failed.Headers.RetryAfter?.ToString());
        _f.Ledger.Unavailable = false;
        using var retried = await op.SendAsync(Requests.Post("api/operator/retailers", Retailer("R-1"), "key-5"));
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }
}
