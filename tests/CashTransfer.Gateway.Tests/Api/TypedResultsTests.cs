using System.Net;
using System.Text.Json;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>
/// The API's handlers return typed results: what the OpenAPI document lists for an operation is the type its handler
/// returns, and a ledger answer reaches the client as that API record (new records with their Location).
/// </summary>
public sealed class TypedResultsTests : IAsyncLifetime
{
    private readonly GatewayFactory _f = new(background: false);

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Every_api_operation_in_the_openapi_document_lists_a_success_response_with_a_body_type()
    {
        using var http = _f.CreateClient();
        var paths = (await (await http.GetAsync("/openapi/v1.json")).JsonAsync()).GetProperty("paths");
        var missing = new List<string>();
        foreach (var path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        foreach (var operation in path.Value.EnumerateObject())
        {
            var success = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            if (!success.Any(r => r.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any()))
                missing.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
        }
        Assert.Empty(missing);
    }

    [Fact]
    public async Task A_new_programme_answers_201_with_its_location_and_the_api_record_not_whatever_else_the_chaincode_wrote()
    {
        _f.Ledger.Handlers[ChaincodeFunctions.CreateProgramme] = (caller, _) => new
        {
            programmeId = "P-1", ownerMsp = caller.AgencyMsp, currency = "KES", budgetMinor = 100_000, validFrom = "2026-01-01T00:00:00Z", validUntil = "2026-12-31T00:00:00Z",
            priority = 1, restriction = new { kind = "Cash", categories = Array.Empty<string>() }, allowedRetailers = Array.Empty<string>(), status = "Active",
            internalNote = "a field a newer chaincode added",
        };
        using var op = _f.OperatorClient();
        using var response = await op.SendAsync(Requests.Post("api/operator/programmes", new { programmeId = "P-1" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/operator/programmes/P-1", response.Headers.Location?.OriginalString);
        var body = await response.JsonAsync();
        Assert.Equal(("P-1", "Org1MSP", 100_000L), (body.GetProperty("programmeId").GetString(), body.GetProperty("ownerMsp").GetString(), body.GetProperty("budgetMinor").GetInt64()));
        Assert.False(body.TryGetProperty("internalNote", out _));
    }

    [Fact]
    public async Task Daily_redemptions_have_a_path_of_their_own_and_the_old_one_still_answers_without_shadowing_a_redemption()
    {
        _f.Ledger.Handlers[ChaincodeFunctions.GetRedemptionsByPeriod] = (_, _) => new { items = Array.Empty<object>(), bookmark = "" };
        _f.Ledger.Handlers[ChaincodeFunctions.GetRedemption] = (_, args) => new { redemptionId = args[0] };
        using var auditor = _f.AuditorClient();
        const string period = "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z";
        using (var current = await auditor.GetAsync($"api/audit/daily-redemptions?{period}")) Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        using (var old = await auditor.GetAsync($"api/audit/redemptions/daily?{period}")) Assert.Equal(JsonValueKind.Array, (await old.JsonAsync()).ValueKind);
        using (var one = await auditor.GetAsync("api/audit/redemptions/T-1:daily"))
            Assert.Equal("T-1:daily", (await one.JsonAsync()).GetProperty("redemptionId").GetString());

        using var http = _f.CreateClient();
        var paths = (await (await http.GetAsync("/openapi/v1.json")).JsonAsync()).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/audit/daily-redemptions", out _));
        Assert.False(paths.TryGetProperty("/api/audit/redemptions/daily", out _));
    }
}
