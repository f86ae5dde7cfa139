using System.Net;
using System.Text;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Idempotency;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Receipts;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>
/// Reversal through the gateway against the real contract (in-memory Fabric stub): the paying agency's operator
/// and the retailer's terminal (within the ledger's 24 h window). Every refusal is checked to leave the ledger's
/// world state, its events and the gateway's read models exactly as they were.
/// </summary>
public sealed class ReversalTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly LedgerCaller Org1Operator = new("Org1MSP", "operator");
    private static readonly LedgerCaller Gateway = new("Org1MSP", "gateway");

    private readonly ContractLedger _ledger = new();
    private readonly GatewayFactory _f;
    private readonly TestKey _t1Key = new();
    private readonly TestKey _t2Key = new();
    private readonly TestKey _otherRetailerKey = new();
    private HttpClient _op = null!;

    public ReversalTests() => _f = new GatewayFactory(ledgerPort: _ledger);

    /// <summary>Retailer R-1 with terminals T-1 and T-2, retailer R-2 with T-3; programme P-1 of Org1MSP; beneficiary one holds 1000 KES.</summary>
    public async Task InitializeAsync()
    {
        _op = _f.OperatorClient();
        var now = DateTimeOffset.UtcNow;
        await Created(Requests.Post("api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } }));
        await Created(Requests.Post("api/operator/retailers", new { retailerId = "R-2", categories = new[] { "food" } }));
        await Created(Requests.Post("api/operator/terminals", new { terminalId = "T-1", retailerId = "R-1", publicKeyPem = _t1Key.PublicKeyPem }));
        await Created(Requests.Post("api/operator/terminals", new { terminalId = "T-2", retailerId = "R-1", publicKeyPem = _t2Key.PublicKeyPem }));
        await Created(Requests.Post("api/operator/terminals", new { terminalId = "T-3", retailerId = "R-2", publicKeyPem = _otherRetailerKey.PublicKeyPem }));
        await Created(Requests.Post("api/operator/programmes", new
        {
            programmeId = "P-1", budget = new { minor = 1_000_000, currency = "KES" }, validFrom = now.AddDays(-1), validUntil = now.AddDays(30), priority = 1,
            restriction = new { kind = "Voucher", categories = new[] { "food" } }, allowedRetailers = new[] { "R-1", "R-2" },
        }));
        await _ledger.SubmitAndWaitAsync(Org1Operator, ChaincodeFunctions.IssueEntitlements,
            [ChaincodeArguments.Json(new EntitlementBatch("P-1", "C-1", [new EntitlementGrant(Beneficiaries.One, 1000)]))], Wait, default);
    }

    public async Task DisposeAsync()
    {
        _op.Dispose();
        await _f.DisposeAsync();
        _t1Key.Dispose();
        _t2Key.Dispose();
        _otherRetailerKey.Dispose();
    }

    private async Task Created(HttpRequestMessage request)
    {
        using var response = await _op.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>T-1 sells 400 to beneficiary one; waits until the projection has seen it (a payable of 400 for Org1MSP).</summary>
    private async Task<string> RedeemAsync(long amount = 400)
    {
        var receipt = new Receipt(IdRules.NewRedemptionId("T-1"), "T-1", 1, ReceiptEncoding.GenesisHash, Beneficiaries.One, new Money(amount, "KES"), "food",
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var result = await _ledger.SubmitAndWaitAsync(Gateway, ChaincodeFunctions.Redeem, [ChaincodeArguments.Json(ReceiptEncoding.Sign(receipt, _t1Key.Signer))], Wait, default);
        Assert.Equal("Accepted", JsonDocument.Parse(result).RootElement.GetProperty("status").GetString());
        await Requests.EventuallyAsync(async () => (await Views.ListPayablesAsync("R-1")).Any(p => p.RedemptionId == receipt.RedemptionId), "the projection has the payable");
        return receipt.RedemptionId;
    }

    private ProjectionRepository Views => _f.Get<ProjectionRepository>();

    private static HttpRequestMessage AgencyReversal(string redemptionId, string reason = "GoodsReturned", string? key = null) =>
        Requests.Post($"api/operator/redemptions/{redemptionId}/reversal", new { reason }, key);

    private static SignedReversal Signed(string redemptionId, string terminalId, TestKey key, string reason = "GoodsReturned") =>
        ReceiptEncoding.Sign(new ReversalRequest(redemptionId, terminalId, reason, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), key.Signer);

    private static HttpRequestMessage RetailerReversal(SignedReversal signed, string? key = null) => Requests.Post("api/pos/reversals", signed, key);

    private async Task<long> LedgerBalanceAsync() =>
        (await _ledger.EvaluateJsonAsync<Page<EntitlementRecord>>(Gateway, ChaincodeFunctions.GetBeneficiaryEntitlements, [Beneficiaries.One, "100", ""], default)).Items.Single().Balance;

    /// <summary>Everything a refused reversal must leave alone: world state, events, payables and receipt statuses in the read models.</summary>
    private async Task<string> SnapshotAsync(string redemptionId)
    {
        var state = string.Join("\n", _ledger.World.Keys.Order(StringComparer.Ordinal).Select(k => k + "=" + Encoding.UTF8.GetString(_ledger.World.GetState(k))));
        var payables = JsonSerializer.Serialize(await Views.ListPayablesAsync("R-1"));
        var status = (await Views.FindReceiptStatusAsync(redemptionId))?.LedgerStatus;
        return $"{state}\nevents={_ledger.World.Events.Count}\npayables={payables}\nstatus={status}";
    }

    private async Task AssertRefusedAndUnchanged(HttpResponseMessage response, HttpStatusCode expected, string problemType, string before, string redemptionId)
    {
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("urn:cashtransfer:problem:" + problemType, (await response.JsonAsync()).GetProperty("type").GetString());
        await Task.Delay(100); // give the projection the chance to (wrongly) apply something
        Assert.Equal(before, await SnapshotAsync(redemptionId));
    }

    [Fact]
    public async Task The_paying_agency_reverses_a_redemption_and_the_ledger_and_read_models_follow()
    {
        var id = await RedeemAsync(400);
        using var terminal = _f.TerminalClient("T-1", _t1Key);
        var cached = await (await terminal.GetAsync($"api/pos/balances/{Beneficiaries.One}")).JsonAsync();
        Assert.Equal(600, cached.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt64());

        using var response = await _op.SendAsync(AgencyReversal(id, "CashierError"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        Assert.Equal("Reversed", body.GetProperty("status").GetString());
        Assert.Equal(("OwningAgency", "Org1MSP", "CashierError"),
            (body.GetProperty("reversal").GetProperty("by").GetString(), body.GetProperty("reversal").GetProperty("actorId").GetString(), body.GetProperty("reversal").GetProperty("reason").GetString()));

        Assert.Equal(1000, await LedgerBalanceAsync());
        var ledgerPayables = await _ledger.EvaluateJsonAsync<Page<JsonElement>>(Org1Operator, ChaincodeFunctions.GetPayables, ["R-1", "100", ""], default);
        Assert.Empty(ledgerPayables.Items);

        // The projection follows the RedemptionReversed event: status, payables, and the cached balance is dropped and re-read.
        await Requests.EventuallyAsync(async () => (await Views.FindReceiptStatusAsync(id))?.LedgerStatus == "Reversed", "the receipt status view shows Reversed");
        Assert.Empty(await Views.ListPayablesAsync("R-1"));
        var balance = await (await terminal.GetAsync($"api/pos/balances/{Beneficiaries.One}")).JsonAsync();
        Assert.Equal(1000, balance.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt64());
        Assert.Equal("ledger", balance.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_terminal_of_the_retailer_reverses_within_the_window_even_one_that_did_not_make_the_sale()
    {
        var id = await RedeemAsync(250);
        using var t2 = _f.TerminalClient("T-2", _t2Key);
        using var response = await t2.SendAsync(RetailerReversal(Signed(id, "T-2", _t2Key, "GoodsReturned")));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var reversal = (await response.JsonAsync()).GetProperty("reversal");
        Assert.Equal(("Retailer", "T-2"), (reversal.GetProperty("by").GetString(), reversal.GetProperty("actorId").GetString()));
        Assert.Equal(1000, await LedgerBalanceAsync());
        await Requests.EventuallyAsync(async () => (await Views.FindReceiptStatusAsync(id))?.LedgerStatus == "Reversed" && (await Views.ListPayablesAsync("R-1")).Count == 0,
            "the projection applied the reversal");
    }

    [Fact]
    public async Task After_the_window_the_retailer_is_refused_and_only_the_agency_can_reverse()
    {
        var id = await RedeemAsync();
        _ledger.Clock = () => DateTimeOffset.UtcNow.AddHours(25);
        var before = await SnapshotAsync(id);
        using var t1 = _f.TerminalClient("T-1", _t1Key);
        using (var late = await t1.SendAsync(RetailerReversal(Signed(id, "T-1", _t1Key))))
        {
            await AssertRefusedAndUnchanged(late, HttpStatusCode.Forbidden, "ledger-forbidden", before, id);
            Assert.Contains("window", (await late.JsonAsync()).GetProperty("detail").GetString());
        }
        using var agency = await _op.SendAsync(AgencyReversal(id));
        Assert.Equal(HttpStatusCode.OK, agency.StatusCode);
        Assert.Equal(1000, await LedgerBalanceAsync());
    }

    [Fact]
    public async Task Unknown_redemptions_are_404_on_both_paths_and_change_nothing()
    {
        var id = await RedeemAsync();
        var before = await SnapshotAsync(id);
        using (var response = await _op.SendAsync(AgencyReversal("no-such-redemption")))
            await AssertRefusedAndUnchanged(response, HttpStatusCode.NotFound, "ledger-not-found", before, id);
        using var t1 = _f.TerminalClient("T-1", _t1Key);
        using (var response = await t1.SendAsync(RetailerReversal(Signed("no-such-redemption", "T-1", _t1Key))))
            await AssertRefusedAndUnchanged(response, HttpStatusCode.NotFound, "ledger-not-found", before, id);
    }

    [Fact]
    public async Task An_agency_that_did_not_pay_cannot_reverse()
    {
        var id = await RedeemAsync();
        var before = await SnapshotAsync(id);
        using var org2 = _f.Client(GatewayFactory.OtherOperatorKeyId, _f.OtherOperator);
        using var response = await org2.SendAsync(AgencyReversal(id));
        await AssertRefusedAndUnchanged(response, HttpStatusCode.Forbidden, "ledger-forbidden", before, id);
    }

    [Fact]
    public async Task A_terminal_of_another_retailer_cannot_reverse()
    {
        var id = await RedeemAsync();
        var before = await SnapshotAsync(id);
        using var t3 = _f.TerminalClient("T-3", _otherRetailerKey);
        using var response = await t3.SendAsync(RetailerReversal(Signed(id, "T-3", _otherRetailerKey)));
        await AssertRefusedAndUnchanged(response, HttpStatusCode.Forbidden, "ledger-forbidden", before, id);
    }

    [Fact]
    public async Task Wrong_roles_are_refused_before_anything_runs()
    {
        var id = await RedeemAsync();
        var before = await SnapshotAsync(id);
        using var t1 = _f.TerminalClient("T-1", _t1Key);
        using var auditor = _f.AuditorClient();
        using (var response = await t1.SendAsync(AgencyReversal(id)))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode); // a terminal is not an operator
        using (var response = await auditor.SendAsync(AgencyReversal(id)))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using (var response = await _op.SendAsync(RetailerReversal(Signed(id, "T-1", _t1Key))))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode); // an operator is not a terminal, even with a terminal's signed request
        using (var response = await auditor.SendAsync(RetailerReversal(Signed(id, "T-1", _t1Key))))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await Task.Delay(100);
        Assert.Equal(before, await SnapshotAsync(id));
    }

    [Fact]
    public async Task A_terminal_cannot_send_another_terminals_request_nor_a_forged_one()
    {
        var id = await RedeemAsync();
        var before = await SnapshotAsync(id);
        using var t1 = _f.TerminalClient("T-1", _t1Key);
        // T-2's genuine request, relayed by T-1.
        using (var relayed = await t1.SendAsync(RetailerReversal(Signed(id, "T-2", _t2Key))))
            await AssertRefusedAndUnchanged(relayed, HttpStatusCode.Forbidden, "terminal-mismatch", before, id);
        // T-1's request signed with another key.
        using (var forged = await t1.SendAsync(RetailerReversal(Signed(id, "T-1", _t2Key))))
            await AssertRefusedAndUnchanged(forged, HttpStatusCode.UnprocessableEntity, "reversal-signature-invalid", before, id);
        // A signed request whose reason was changed afterwards.
        var tampered = Signed(id, "T-1", _t1Key, "GoodsReturned");
        tampered = tampered with { Request = tampered.Request with { Reason = "Fraud" } };
        using (var changed = await t1.SendAsync(RetailerReversal(tampered)))
            await AssertRefusedAndUnchanged(changed, HttpStatusCode.UnprocessableEntity, "reversal-signature-invalid", before, id);
    }

    public static TheoryData<string, string?> BadAgencyBodies => new()
    {
        { "{\"reason\":\"BecauseISaidSo\"}", "reason must be one of" },
        { "{\"reason\":\"goodsreturned\"}", "reason must be one of" },
        { "{}", "reason must be one of" },
        { "{\"reason\":", null },
        { "[1,2]", null },
    };

    [Theory]
    [MemberData(nameof(BadAgencyBodies))]
    public async Task Bad_agency_requests_are_400_and_change_nothing(string body, string? detail)
    {
        var id = await RedeemAsync();
        var before = await SnapshotAsync(id);
        using var response = await _op.SendAsync(Requests.PostRaw($"api/operator/redemptions/{id}/reversal", body, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        if (detail is not null) Assert.Contains(detail, (await response.JsonAsync()).GetProperty("detail").GetString());
        await Task.Delay(100);
        Assert.Equal(before, await SnapshotAsync(id));
    }

    [Fact]
    public async Task A_malformed_redemption_id_is_400()
    {
        var id = await RedeemAsync();
        var before = await SnapshotAsync(id);
        using (var response = await _op.SendAsync(AgencyReversal("bad id with spaces")))
            await AssertRefusedAndUnchanged(response, HttpStatusCode.BadRequest, "reversal-invalid", before, id);
        using var t1 = _f.TerminalClient("T-1", _t1Key);
        using (var response = await t1.SendAsync(RetailerReversal(Signed("bad/id", "T-1", _t1Key))))
            await AssertRefusedAndUnchanged(response, HttpStatusCode.BadRequest, "reversal-invalid", before, id);
        using (var response = await t1.SendAsync(RetailerReversal(Signed(id, "T-1", _t1Key, "Whim"))))
            await AssertRefusedAndUnchanged(response, HttpStatusCode.BadRequest, "reversal-invalid", before, id);
        using (var response = await t1.SendAsync(Requests.PostRaw("api/pos/reversals", "{\"signature\":\"AAAA\"}", "application/json")))
            await AssertRefusedAndUnchanged(response, HttpStatusCode.BadRequest, "reversal-invalid", before, id);
        using (var response = await t1.SendAsync(Requests.PostRaw("api/pos/reversals", "{not json", "application/json")))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Task.Delay(100);
        Assert.Equal(before, await SnapshotAsync(id));
    }

    [Fact]
    public async Task A_second_reversal_is_a_conflict_and_changes_nothing()
    {
        var id = await RedeemAsync();
        using (var first = await _op.SendAsync(AgencyReversal(id)))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Requests.EventuallyAsync(async () => (await Views.FindReceiptStatusAsync(id))?.LedgerStatus == "Reversed", "the reversal is projected");
        var before = await SnapshotAsync(id);
        using (var again = await _op.SendAsync(AgencyReversal(id)))
            await AssertRefusedAndUnchanged(again, HttpStatusCode.Conflict, "ledger-conflict", before, id);
        using var t1 = _f.TerminalClient("T-1", _t1Key);
        using (var again = await t1.SendAsync(RetailerReversal(Signed(id, "T-1", _t1Key))))
            await AssertRefusedAndUnchanged(again, HttpStatusCode.Conflict, "ledger-conflict", before, id);
    }

    [Fact]
    public async Task Repeats_return_the_stored_response_and_a_reused_key_with_another_body_is_422_on_both_paths()
    {
        var id = await RedeemAsync();
        using var first = await _op.SendAsync(AgencyReversal(id, "GoodsReturned", "agency-key"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Requests.EventuallyAsync(async () => (await Views.FindReceiptStatusAsync(id))?.LedgerStatus == "Reversed", "the reversal is projected");
        var after = await SnapshotAsync(id);

        using (var repeat = await _op.SendAsync(AgencyReversal(id, "GoodsReturned", "agency-key")))
        {
            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
            Assert.Equal("true", repeat.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
            Assert.Equal(await first.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        }
        using (var reused = await _op.SendAsync(AgencyReversal(id, "Fraud", "agency-key")))
            await AssertRefusedAndUnchanged(reused, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused", after, id);

        // The retailer's path: a refusal (the redemption is reversed already) is stored and replayed as it was.
        using var t1 = _f.TerminalClient("T-1", _t1Key);
        var signed = Signed(id, "T-1", _t1Key);
        using var refused = await t1.SendAsync(RetailerReversal(signed, "pos-key"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        using (var repeat = await t1.SendAsync(RetailerReversal(signed, "pos-key")))
        {
            Assert.Equal(HttpStatusCode.Conflict, repeat.StatusCode);
            Assert.Equal("true", repeat.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
            Assert.Equal(await refused.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        }
        using (var reused = await t1.SendAsync(RetailerReversal(Signed(id, "T-1", _t1Key, "CashierError"), "pos-key")))
            await AssertRefusedAndUnchanged(reused, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused", after, id);
    }

    [Fact]
    public async Task A_retailer_repeat_of_a_successful_reversal_returns_the_stored_response()
    {
        var id = await RedeemAsync();
        using var t1 = _f.TerminalClient("T-1", _t1Key);
        var signed = Signed(id, "T-1", _t1Key);
        using var first = await t1.SendAsync(RetailerReversal(signed, "pos-key-ok"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var events = _ledger.World.Events.Count;
        using var repeat = await t1.SendAsync(RetailerReversal(signed, "pos-key-ok"));
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal("true", repeat.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        Assert.Equal(events, _ledger.World.Events.Count);
    }
}
