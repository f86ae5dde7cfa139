using CashTransfer.Api;
using System.Net;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Receipts;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>Uploads of offline receipts: stored before acknowledged; bad input gets a clear 4xx and changes nothing.</summary>
public sealed class ReceiptIntakeTests : IAsyncLifetime
{
    private readonly GatewayFactory _f = new(background: false);
    private TerminalFixture _t = null!;

    public async Task InitializeAsync() => _t = await TerminalFixture.RegisterAsync(_f);
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task<JsonElement> RefusedAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("urn:cashtransfer:problem:" + type, problem.GetProperty("type").GetString());
        return problem;
    }

    [Fact]
    public async Task A_valid_batch_is_stored_before_it_is_acknowledged()
    {
        var receipts = _t.Next(3);
        using var response = await _t.UploadAsync(receipts);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ack = await response.JsonAsync();
        Assert.Equal(3, ack.GetProperty("accepted").GetInt32());
        Assert.Equal(3, ack.GetProperty("lastSequence").GetInt64());
        Assert.Equal(receipts[2].Hash, ack.GetProperty("lastReceiptHash").GetString());

        var stored = await _f.Get<OutboxRepository>().FindManyAsync(receipts.Select(r => r.Receipt.RedemptionId).ToList());
        Assert.Equal(3, stored.Count);
        Assert.All(stored, e => Assert.Equal(ReceiptState.Received, e.Status));
        Assert.Equal(new JournalPosition(_t.TerminalId, 3, receipts[2].Hash), await _f.Get<TerminalJournalRepository>().GetAsync(_t.TerminalId));
        Assert.DoesNotContain(_f.Ledger.Calls, c => c.What == CashTransfer.Gateway.Ledger.ChaincodeFunctions.Redeem); // acknowledged before any ledger work
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        using var request = Requests.PostRaw("api/pos/receipt-batches", "{\"terminalId\": \"T-1\", \"receipts\": [ {", "application/json");
        using var response = await _t.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("XXQ")]
    public async Task A_wrong_currency_is_refused(string currency)
    {
        var problem = await RefusedAsync(await _t.UploadAsync([_t.Next(currency: currency)]), HttpStatusCode.BadRequest, "receipt-invalid");
        Assert.Contains("ISO 4217", problem.GetProperty("receipts")[0].GetString());
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(253402300800000L)]      // one millisecond after 9999-12-31T23:59:59.999Z
    [InlineData(4611686018427387904L)]  // what the REST fuzzer sent: once a 500 when the service read it as a date
    public async Task A_terminal_time_that_is_no_date_is_refused_as_malformed(long unixMs)
    {
        var next = _t.Next();
        var hostile = ReceiptEncoding.Sign(next.Receipt with { TerminalTimeUnixMs = unixMs }, _t.Key.Signer);
        var problem = await RefusedAsync(await _t.UploadAsync([hostile]), HttpStatusCode.BadRequest, "receipt-invalid");
        Assert.Contains("terminalTimeUnixMs", problem.GetProperty("receipts")[0].GetString());
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
    }

    [Fact]
    public async Task Zero_amounts_and_personal_data_in_place_of_a_beneficiary_hash_are_refused()
    {
        await RefusedAsync(await _t.UploadAsync([_t.Next(amountMinor: 0)]), HttpStatusCode.BadRequest, "receipt-invalid");
        var fresh = await TerminalFixture.RegisterAsync(_f, "T-2");
        await RefusedAsync(await fresh.UploadAsync([fresh.Next(beneficiary: "Amina Yusuf 1984-02-01")]), HttpStatusCode.BadRequest, "receipt-invalid");
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
    }

    [Fact]
    public async Task A_forged_receipt_is_refused_and_nothing_of_its_batch_is_stored()
    {
        var receipts = _t.Next(3);
        using var forger = new TestKey();
        receipts[1] = ReceiptEncoding.Sign(receipts[1].Receipt, forger.Signer);
        var problem = await RefusedAsync(await _t.UploadAsync(receipts), HttpStatusCode.UnprocessableEntity, "receipt-signature-invalid");
        Assert.Contains(receipts[1].Receipt.RedemptionId, problem.GetProperty("receipts")[0].GetString());
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
        Assert.Equal(JournalPosition.Start(_t.TerminalId), await _f.Get<TerminalJournalRepository>().GetAsync(_t.TerminalId));
    }

    [Fact]
    public async Task A_receipt_altered_after_signing_is_refused()
    {
        var signed = _t.Next(amountMinor: 500);
        var altered = signed with { Receipt = signed.Receipt with { Amount = new Money(50_000, "KES") } };
        await RefusedAsync(await _t.UploadAsync([altered]), HttpStatusCode.UnprocessableEntity, "receipt-signature-invalid");
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
    }

    [Fact]
    public async Task Replayed_receipts_are_refused_and_change_nothing()
    {
        var receipts = _t.Next(2);
        Assert.Equal(HttpStatusCode.Accepted, (await _t.UploadAsync(receipts)).StatusCode);
        var problem = await RefusedAsync(await _t.UploadAsync(receipts), HttpStatusCode.Conflict, "receipt-replayed");
        Assert.Equal(2, problem.GetProperty("receipts").GetArrayLength());
        Assert.Equal(2, await OutboxProbe.CountAsync(_f));
        Assert.Equal(2, (await _f.Get<TerminalJournalRepository>().GetAsync(_t.TerminalId)).LastSequence);
    }

    [Fact]
    public async Task Receipts_of_another_terminal_are_refused()
    {
        var other = await TerminalFixture.RegisterAsync(_f, "T-2");
        var theirs = other.Next();
        await RefusedAsync(await _t.UploadAsync([theirs], terminalId: _t.TerminalId), HttpStatusCode.Forbidden, "terminal-mismatch");
        await RefusedAsync(await _t.UploadAsync([_t.Next()], terminalId: "T-2"), HttpStatusCode.Forbidden, "terminal-mismatch");
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
    }

    [Fact]
    public async Task An_oversize_batch_is_refused()
    {
        await RefusedAsync(await _t.UploadAsync(_t.Next(51)), HttpStatusCode.RequestEntityTooLarge, "batch-too-large");
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
    }

    [Fact]
    public async Task An_empty_batch_is_refused()
    {
        await RefusedAsync(await _t.UploadAsync([]), HttpStatusCode.BadRequest, "batch-empty");
    }

    [Fact]
    public async Task A_gap_is_reported_with_the_expected_sequence_and_recorded_for_operators()
    {
        var receipts = _t.Next(4);
        Assert.Equal(HttpStatusCode.Accepted, (await _t.UploadAsync(receipts[..1])).StatusCode);
        var problem = await RefusedAsync(await _t.UploadAsync(receipts[2..]), HttpStatusCode.Conflict, "gap");
        Assert.Equal(2, problem.GetProperty("expectedSequence").GetInt64());
        Assert.Equal(3, problem.GetProperty("receivedSequence").GetInt64());
        Assert.Equal(1, await OutboxProbe.CountAsync(_f));

        using var op = _f.OperatorClient();
        var anomalies = await (await op.GetAsync($"api/operator/journal-anomalies?terminalId={_t.TerminalId}")).JsonAsync();
        Assert.Equal("gap", anomalies[0].GetProperty("kind").GetString());
        using var otherAgency = _f.Client(GatewayFactory.OtherOperatorKeyId, _f.OtherOperator); // did not register this terminal
        Assert.Equal(0, (await (await otherAgency.GetAsync("api/operator/journal-anomalies")).JsonAsync()).GetArrayLength());
        Assert.Equal(0, (await (await otherAgency.GetAsync($"api/operator/journal-anomalies?terminalId={_t.TerminalId}")).JsonAsync()).GetArrayLength());

        // Once the missing receipt arrives, the rest follows.
        Assert.Equal(HttpStatusCode.Accepted, (await _t.UploadAsync(receipts[1..])).StatusCode);
        Assert.Equal(4, await OutboxProbe.CountAsync(_f));
    }

    [Fact]
    public async Task A_fork_at_an_accepted_sequence_is_reported()
    {
        var accepted = _t.Next(2);
        Assert.Equal(HttpStatusCode.Accepted, (await _t.UploadAsync(accepted)).StatusCode);
        // Another receipt claiming sequence 2, correctly chained to receipt 1 and validly signed: a forked journal.
        var forked = ReceiptEncoding.Sign(accepted[1].Receipt with { RedemptionId = $"{_t.TerminalId}:fork-2", Amount = new Money(9, "KES") }, _t.Key.Signer);
        var problem = await RefusedAsync(await _t.UploadAsync([forked]), HttpStatusCode.Conflict, "fork");
        Assert.Equal(3, problem.GetProperty("expectedSequence").GetInt64());
        Assert.Equal(2, await OutboxProbe.CountAsync(_f));
    }

    [Fact]
    public async Task A_receipt_that_does_not_chain_to_the_last_accepted_one_is_a_fork()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _t.UploadAsync(_t.Next(1))).StatusCode);
        var next = _t.Next();
        var unchained = ReceiptEncoding.Sign(next.Receipt with { PreviousReceiptHash = new string('f', 64) }, _t.Key.Signer);
        await RefusedAsync(await _t.UploadAsync([unchained]), HttpStatusCode.Conflict, "fork");
        Assert.Equal(1, await OutboxProbe.CountAsync(_f));
        Assert.Equal(2, (await _f.Get<TerminalJournalRepository>().ListAnomaliesAsync(_t.TerminalId, 10)).Count + 1);
    }

    [Fact]
    public async Task A_broken_chain_inside_a_batch_is_refused_whole()
    {
        var receipts = _t.Next(3);
        receipts[2] = ReceiptEncoding.Sign(receipts[2].Receipt with { PreviousReceiptHash = receipts[0].Hash }, _t.Key.Signer);
        await RefusedAsync(await _t.UploadAsync(receipts), HttpStatusCode.Conflict, "fork");
        var skipped = _t.Next(2);
        await RefusedAsync(await _t.UploadAsync([receipts[0], skipped[1]]), HttpStatusCode.Conflict, "gap");
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
    }

    [Fact]
    public async Task Another_terminal_cannot_take_a_redemption_id_first()
    {
        var other = await TerminalFixture.RegisterAsync(_f, "T-2");
        var mine = _t.Next();
        // T-2 signs a receipt of its own under T-1's id: refused as malformed, nothing stored, and T-1's sale still goes in.
        var squat = ReceiptEncoding.Sign(other.Next().Receipt with { RedemptionId = mine.Receipt.RedemptionId }, other.Key.Signer);
        var problem = await RefusedAsync(await other.UploadAsync([squat]), HttpStatusCode.BadRequest, "receipt-invalid");
        Assert.Contains("redemptionId must be the terminal's id", problem.GetRawText());
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
        Assert.Equal(HttpStatusCode.Accepted, (await _t.UploadAsync([mine])).StatusCode);
    }

    public static TheoryData<string> Tails => ["\n", "\r\n", "\u0000", "\t", "\u2028", " "];

    [Theory]
    [MemberData(nameof(Tails))]
    public async Task Ids_and_hashes_with_a_control_character_are_refused(string tail)
    {
        var next = _t.Next().Receipt;
        foreach (var hostile in new[]
        {
            next with { BeneficiaryHash = next.BeneficiaryHash + tail }, next with { RedemptionId = next.RedemptionId + tail },
            next with { PreviousReceiptHash = next.PreviousReceiptHash + tail }, next with { Category = next.Category + tail },
        })
            await RefusedAsync(await _t.UploadAsync([ReceiptEncoding.Sign(hostile, _t.Key.Signer)]), HttpStatusCode.BadRequest, "receipt-invalid");
        var otherTerminal = ReceiptEncoding.Sign(next with { TerminalId = next.TerminalId + tail }, _t.Key.Signer);
        Assert.Equal(HttpStatusCode.Forbidden, (await _t.UploadAsync([otherTerminal])).StatusCode); // not the uploading terminal's
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
        if (!tail.Contains('\0')) // a NUL in a path is refused by the server before routing (the test host throws instead)
            Assert.Equal(HttpStatusCode.BadRequest, (await _t.Http.GetAsync("api/pos/balances/" + Uri.EscapeDataString(Beneficiaries.One + tail))).StatusCode);
    }

    [Fact]
    public async Task The_service_stamps_its_own_acknowledgement_time_on_each_stored_receipt()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var claimed = _t.Next() with { AcknowledgedAtUnixMs = 1 }; // a terminal cannot claim an early acknowledgement
        Assert.Equal(HttpStatusCode.Accepted, (await _t.UploadAsync([claimed])).StatusCode);
        var stored = (await _f.Get<OutboxRepository>().FindManyAsync([claimed.Receipt.RedemptionId])).Single();
        var acknowledgedAt = JsonSerializer.Deserialize<SignedReceipt>(stored.SignedReceipt, ApiJson.Options)!.AcknowledgedAtUnixMs;
        Assert.InRange(acknowledgedAt!.Value, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_terminal_sees_only_its_own_outcomes()
    {
        var mine = _t.Next();
        Assert.Equal(HttpStatusCode.Accepted, (await _t.UploadAsync([mine])).StatusCode);
        var other = await TerminalFixture.RegisterAsync(_f, "T-2");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"api/pos/outcomes/{mine.Receipt.RedemptionId}")).StatusCode);
        Assert.Empty((await (await other.Http.GetAsync("api/pos/outcomes")).JsonAsync()).EnumerateArray());
        var outcome = await (await _t.Http.GetAsync($"api/pos/outcomes/{mine.Receipt.RedemptionId}")).JsonAsync();
        Assert.Equal("received", outcome.GetProperty("status").GetString());
    }
}
