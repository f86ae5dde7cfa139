using System.Net;
using System.Text;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>Signed requests: who may call what, and which Fabric identity each role acts with.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private readonly GatewayFactory _f = new(background: false);
    private TerminalFixture _terminal = null!;

    public async Task InitializeAsync() => _terminal = await TerminalFixture.RegisterAsync(_f);
    public async Task DisposeAsync() => await _f.DisposeAsync();

    public static TheoryData<string, string> ApiEndpoints => new()
    {
        { "POST", "api/operator/programmes" }, { "POST", "api/operator/retailers" }, { "POST", "api/operator/terminals" },
        { "POST", "api/operator/settlements" }, { "POST", "api/operator/entitlement-uploads?programmeId=P-1&cycle=c1" },
        { "GET", "api/operator/overlaps?beneficiaryHash=00&from=2026-01-01&to=2026-02-01" }, { "GET", "api/operator/journal-anomalies" },
        { "POST", "api/pos/receipt-batches" }, { "POST", "api/pos/redemptions" }, { "GET", "api/pos/outcomes" },
        { "GET", "api/pos/balances/" + new string('a', 64) }, { "GET", "api/audit/redemptions/r1" }, { "GET", "api/audit/export?from=2026-01-01&to=2026-02-01" },
        { "GET", "api/audit/outbox" },
    };

    [Theory]
    [MemberData(nameof(ApiEndpoints))]
    public async Task Unsigned_requests_get_401_problem_details(string method, string path)
    {
        using var http = _f.CreateClient();
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}", Encoding.UTF8, "application/json") : null });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, (await response.JsonAsync()).GetProperty("status").GetInt32());
        Assert.Equal(1, _f.Ledger.Count("endorse")); // only the terminal registration in InitializeAsync reached the ledger
    }

    [Theory]
    [InlineData("terminal", "api/operator/journal-anomalies")]
    [InlineData("terminal", "api/audit/outbox")]
    [InlineData("operator", "api/pos/outcomes")]
    [InlineData("operator", "api/audit/outbox")]
    [InlineData("auditor", "api/operator/journal-anomalies")]
    [InlineData("auditor", "api/pos/outcomes")]
    public async Task A_role_cannot_call_another_roles_endpoints(string role, string path)
    {
        using var http = role switch { "terminal" => _terminal.Http, "operator" => _f.OperatorClient(), _ => _f.AuditorClient() };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("may not call this endpoint", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_tampered_body_stale_timestamp_or_unknown_key_is_refused()
    {
        // Tampered: sign one body, send another.
        using var tampered = _f.CreateDefaultClient(new SigningHandler(GatewayFactory.OperatorKeyId, _f.Operator.Signer), new TamperingHandler());
        using (var response = await tampered.SendAsync(Requests.Post("api/operator/retailers", new { retailerId = "R-2", categories = new[] { "food" } })))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var stale = new FixedClock(DateTimeOffset.UtcNow.AddMinutes(-30));
        using var old = _f.CreateDefaultClient(new SigningHandler(GatewayFactory.OperatorKeyId, _f.Operator.Signer, stale));
        using (var response = await old.GetAsync("api/operator/journal-anomalies"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("clock", (await response.JsonAsync()).GetProperty("detail").GetString());
        }

        using var stranger = _f.Client("operator/nobody", new TestKey());
        using (var response = await stranger.GetAsync("api/operator/journal-anomalies"))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using var impostor = _f.Client(GatewayFactory.OperatorKeyId, new TestKey()); // right key id, wrong key
        using (var response = await impostor.GetAsync("api/operator/journal-anomalies"))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using var unknownTerminal = _f.TerminalClient("T-404", new TestKey());
        using (var response = await unknownTerminal.GetAsync("api/pos/outcomes"))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, _f.Ledger.Count("endorse"));
    }

    [Fact]
    public async Task Each_role_acts_on_the_ledger_with_its_own_fabric_identity()
    {
        _f.Ledger.Handlers[ChaincodeFunctions.RegisterRetailer] = (_, _) => new { retailerId = "R-2" };
        _f.Ledger.Handlers[ChaincodeFunctions.GetRedemption] = (_, _) => new { redemptionId = "r1" };
        _f.Ledger.Handlers[ChaincodeFunctions.GetBeneficiaryEntitlements] = (_, _) => new { items = Array.Empty<object>(), bookmark = "" };
        using (var op = _f.Client(GatewayFactory.OtherOperatorKeyId, _f.OtherOperator))
            Assert.Equal(HttpStatusCode.Created, (await op.SendAsync(Requests.Post("api/operator/retailers", new { retailerId = "R-2", categories = new[] { "food" } }))).StatusCode);
        using (var auditor = _f.AuditorClient())
            Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("api/audit/redemptions/r1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _terminal.Http.GetAsync("api/pos/balances/" + Beneficiaries.One)).StatusCode);

        var calls = _f.Ledger.Calls.ToList();
        Assert.Contains(calls, c => c.What == ChaincodeFunctions.RegisterTerminal && c.Caller == new LedgerCaller("Org1MSP", "operator"));
        Assert.Contains(calls, c => c.What == ChaincodeFunctions.RegisterRetailer && c.Caller == new LedgerCaller("Org2MSP", "operator"));
        Assert.Contains(calls, c => c.What == ChaincodeFunctions.GetRedemption && c.Caller == new LedgerCaller("Org1MSP", "auditor"));
        Assert.Contains(calls, c => c.What == ChaincodeFunctions.GetBeneficiaryEntitlements && c.Caller == new LedgerCaller("Org1MSP", "gateway"));
    }

    [Fact]
    public void Every_api_endpoint_requires_a_role()
    {
        var endpoints = _f.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true).ToList();
        Assert.True(endpoints.Count >= 25, $"expected the whole API, found {endpoints.Count} endpoints");
        foreach (var e in endpoints)
        {
            var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            Assert.True(policies.Any(p => p is "Operator" or "Auditor" or "Terminal"), $"{e.DisplayName} has no role policy");
            Assert.Null(e.Metadata.GetMetadata<IAllowAnonymous>());
        }
    }

    [Fact]
    public async Task Health_readiness_and_the_openapi_document_need_no_credentials()
    {
        using var http = _f.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        using var ready = await http.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var doc = await (await http.GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/pos/receipt-batches", paths);
        Assert.Contains("/api/operator/entitlement-uploads", paths);
        Assert.Contains("/api/audit/export", paths);
        Assert.Contains("/api/pos/reversals", paths);
        Assert.Contains("/api/operator/redemptions/{redemptionId}/reversal", paths);
    }

    private sealed class TamperingHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            request.Content = new StringContent("{\"retailerId\":\"R-666\",\"categories\":[\"food\"]}", Encoding.UTF8, "application/json");
            return await base.SendAsync(request, ct);
        }
    }
}

public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
