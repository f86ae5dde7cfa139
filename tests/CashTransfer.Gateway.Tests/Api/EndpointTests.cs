using System.Net;
using System.Text.Json;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>
/// Each operator and auditor endpoint calls the chaincode function it stands for, with its arguments, as the
/// caller's role; the chaincode's refusals come back as the matching 4xx problem.
/// </summary>
public sealed class EndpointTests : IAsyncLifetime
{
    private readonly GatewayFactory _f = new(background: false);
    private readonly List<(string Function, LedgerCaller Caller, IReadOnlyList<string> Args)> _seen = [];

    public Task InitializeAsync()
    {
        foreach (var function in typeof(ChaincodeFunctions).GetFields().Select(f => (string)f.GetValue(null)!))
            _f.Ledger.Handlers[function] = (caller, args) =>
            {
                lock (_seen) _seen.Add((function, caller, args));
                return function switch
                {
                    ChaincodeFunctions.RegisterTerminal or ChaincodeFunctions.SuspendTerminal or ChaincodeFunctions.ReactivateTerminal or ChaincodeFunctions.RotateTerminalKey =>
                        new { terminalId = "T-9", retailerId = "R-1", publicKeyPem = SharedKeys.Auditor.PublicKeyPem, keyVersion = 1, status = function == ChaincodeFunctions.SuspendTerminal ? "Suspended" : "Active", registeredBy = caller.AgencyMsp },
                    ChaincodeFunctions.GetRedemptionsByPeriod => new { items = new object[] { new { redemptionId = "r" + args[3].Length } }, bookmark = args[3] == "" ? "next" : "" },
                    ChaincodeFunctions.CheckAssistance => Array.Empty<object>(),
                    // The record types the API reads the answer as: an id (the first argument) or, for a page, a bookmark.
                    _ => new { retailerId = "R-1", redemptionId = args.FirstOrDefault(), settlementId = args.FirstOrDefault(), programmeId = args.FirstOrDefault(), items = Array.Empty<object>(), bookmark = $"b-{args.Count}" },
                };
            };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private (string Function, LedgerCaller Caller, IReadOnlyList<string> Args) Last => _seen[^1];

    public static TheoryData<string, string, object?, string, string[]> OperatorCalls => new()
    {
        { "POST", "api/operator/programmes", new { programmeId = "P-1", budget = new { minor = 100000, currency = "KES" }, validFrom = "2026-01-01T00:00:00Z", validUntil = "2026-12-31T00:00:00Z", priority = 1, restriction = new { kind = "Cash" } }, ChaincodeFunctions.CreateProgramme, [] },
        { "POST", "api/operator/programmes/P-1/status", new { status = "Suspended" }, ChaincodeFunctions.SetProgrammeStatus, ["P-1", "Suspended"] },
        { "POST", "api/operator/programmes/P-1/retailers/R-1", new { }, ChaincodeFunctions.AllowRetailer, ["P-1", "R-1"] },
        { "POST", "api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } }, ChaincodeFunctions.RegisterRetailer, [] },
        { "POST", "api/operator/terminals", new { terminalId = "T-9", retailerId = "R-1", publicKeyPem = "pem" }, ChaincodeFunctions.RegisterTerminal, [] },
        { "POST", "api/operator/terminals/T-9/suspend", new { }, ChaincodeFunctions.SuspendTerminal, ["T-9", "Routine"] },
        { "POST", "api/operator/terminals/T-9/reactivate", new { }, ChaincodeFunctions.ReactivateTerminal, ["T-9"] },
        { "POST", "api/operator/terminals/T-9/key", new { publicKeyPem = "new-pem" }, ChaincodeFunctions.RotateTerminalKey, ["T-9", "new-pem"] },
        { "POST", "api/operator/redemptions/r-1/reversal", new { reason = "CashierError" }, ChaincodeFunctions.ReverseByAgency, ["r-1", "CashierError"] },
        { "POST", "api/operator/settlements", new { settlementId = "S-1", retailerId = "R-1", cutOff = "2026-03-01T00:00:00Z", paymentReference = "PAY-1" }, ChaincodeFunctions.Settle, [] },
        { "GET", $"api/operator/overlaps?beneficiaryHash={Beneficiaries.One}&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", null, ChaincodeFunctions.CheckAssistance, [Beneficiaries.One, "2026-01-01T00:00:00.0000000+00:00", "2026-02-01T00:00:00.0000000+00:00"] },
    };

    [Theory]
    [MemberData(nameof(OperatorCalls))]
    public async Task Operator_endpoints_call_their_chaincode_function_as_the_operator(string method, string path, object? body, string function, string[] args)
    {
        using var op = _f.OperatorClient();
        using var response = method == "POST" ? await op.SendAsync(Requests.Post(path, body!)) : await op.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(function, Last.Function);
        Assert.Equal(new LedgerCaller("Org1MSP", "operator"), Last.Caller);
        if (args.Length > 0) Assert.Equal(args, Last.Args);
        else Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(Last.Args[0]).RootElement.ValueKind); // a record passed as JSON
    }

    public static TheoryData<string, string, string[]> AuditorCalls => new()
    {
        { "api/audit/redemptions/r-1", ChaincodeFunctions.GetRedemption, ["r-1"] },
        { "api/audit/redemptions?terminalId=T-1&pageSize=50", ChaincodeFunctions.GetRedemptionsByTerminal, ["T-1", "50", ""] },
        { "api/audit/redemptions?retailerId=R-1&bookmark=b1", ChaincodeFunctions.GetRedemptionsByRetailer, ["R-1", "100", "b1"] },
        { "api/audit/payables/R-1?pageSize=5000", ChaincodeFunctions.GetPayables, ["R-1", "1000", ""] },
        { "api/audit/settlements/S-1", ChaincodeFunctions.GetSettlement, ["S-1"] },
        { "api/audit/programmes/P-1/totals", ChaincodeFunctions.GetProgrammeTotals, ["P-1", "1000", ""] },
        { "api/audit/history/Entitlement?key=h&key=P-1&key=c1", ChaincodeFunctions.GetHistory, ["Entitlement", "[\"h\",\"P-1\",\"c1\"]", "100", ""] },
    };

    [Theory]
    [MemberData(nameof(AuditorCalls))]
    public async Task Auditor_endpoints_call_their_chaincode_query_as_the_auditor(string path, string function, string[] args)
    {
        using var auditor = _f.AuditorClient();
        using var response = await auditor.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((function, new LedgerCaller("Org1MSP", "auditor")), (Last.Function, Last.Caller));
        Assert.Equal(args, Last.Args);
        var answer = await response.JsonAsync();
        if (answer.TryGetProperty("items", out _)) Assert.Equal($"b-{args.Length}", answer.GetProperty("bookmark").GetString());
        else Assert.Equal(args[0], new[] { "redemptionId", "settlementId", "programmeId" }.Select(p => answer.TryGetProperty(p, out var v) ? v.GetString() : null).Single(v => v is not null));
    }

    [Fact]
    public async Task The_export_pages_through_the_ledger_as_json_lines()
    {
        using var auditor = _f.AuditorClient();
        using var response = await auditor.GetAsync("api/audit/export?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z");
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(["{\"redemptionId\":\"r0\"}", "{\"redemptionId\":\"r4\"}"], lines); // first page, then the page after bookmark "next"
        Assert.Equal(2, _seen.Count(s => s.Function == ChaincodeFunctions.GetRedemptionsByPeriod));
    }

    [Fact]
    public async Task A_redemption_query_without_a_filter_is_a_400()
    {
        using var auditor = _f.AuditorClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("api/audit/redemptions")).StatusCode);
        Assert.Empty(_seen);
    }

    [Theory]
    [InlineData(400, HttpStatusCode.BadRequest)]
    [InlineData(401, HttpStatusCode.UnprocessableEntity)]
    [InlineData(403, HttpStatusCode.Forbidden)]
    [InlineData(404, HttpStatusCode.NotFound)]
    [InlineData(409, HttpStatusCode.Conflict)]
    public async Task Chaincode_refusals_become_the_matching_problem(int chaincodeStatus, HttpStatusCode expected)
    {
        _f.Ledger.Handlers[ChaincodeFunctions.GetRedemption] = (_, _) => throw new ChaincodeRejectedException(chaincodeStatus, "the chaincode says no");
        using var auditor = _f.AuditorClient();
        using var response = await auditor.GetAsync("api/audit/redemptions/r-1");
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("the chaincode says no", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_missing_or_malformed_parameter_is_a_400_that_reaches_no_ledger()
    {
        using var op = _f.OperatorClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("api/operator/overlaps?beneficiaryHash=x")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("api/operator/overlaps?beneficiaryHash=x&from=yesterday&to=today")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.SendAsync(Requests.PostRaw("api/operator/retailers", "[1,2", "application/json"))).StatusCode);
        Assert.Empty(_seen);
    }

    [Fact]
    public async Task Registering_a_terminal_admits_it_and_suspending_is_recorded()
    {
        using var op = _f.OperatorClient();
        Assert.Equal(HttpStatusCode.Created, (await op.SendAsync(Requests.Post("api/operator/terminals", new { terminalId = "T-9", retailerId = "R-1", publicKeyPem = "pem" }))).StatusCode);
        using var terminal = _f.TerminalClient("T-9", SharedKeys.Auditor); // the handler registers the auditor's public key for T-9
        Assert.Equal(HttpStatusCode.OK, (await terminal.GetAsync("api/pos/outcomes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.SendAsync(Requests.Post("api/operator/terminals/T-9/suspend", new { }))).StatusCode);
        Assert.Equal("Suspended", (await _f.Get<CashTransfer.Gateway.Storage.TerminalRepository>().FindAsync("T-9"))!.Status);
    }
}
