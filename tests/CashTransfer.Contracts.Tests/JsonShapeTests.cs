using System.Text.Json;

namespace CashTransfer.Contracts.Tests;

/// <summary>
/// The JSON the chaincode, gateway and terminals exchange (System.Text.Json web defaults, as they all use): property
/// names are part of the wire format, and derived values (hashes, times) never travel.
/// </summary>
public sealed class JsonShapeTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static IEnumerable<string> Names(JsonElement e) => e.EnumerateObject().Select(p => p.Name);

    [Fact]
    public void A_signed_receipt_has_exactly_the_documented_fields()
    {
        var signed = new SignedReceipt(Examples.Receipt, "c2lnbmF0dXJl");
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(signed, Json));
        Assert.Equal(["receipt", "signature"], Names(doc.RootElement));
        Assert.Equal(["redemptionId", "terminalId", "sequence", "previousReceiptHash", "beneficiaryHash", "amount", "category", "terminalTimeUnixMs"],
            Names(doc.RootElement.GetProperty("receipt")));
        Assert.Equal(signed, JsonSerializer.Deserialize<SignedReceipt>(doc.RootElement.GetRawText(), Json));
    }

    [Fact]
    public void A_signed_reversal_carries_the_reason_as_its_name()
    {
        var signed = new SignedReversal(Examples.Reversal, "c2ln");
        var json = JsonSerializer.Serialize(signed, Json);
        Assert.Equal("""{"request":{"redemptionId":"R-T1-000042","terminalId":"T-1","reason":"GoodsReturned","terminalTimeUnixMs":1772370000000},"signature":"c2ln"}""", json);
        Assert.Equal(signed, JsonSerializer.Deserialize<SignedReversal>(json, Json));
    }

    [Fact]
    public void An_unknown_reason_is_read_as_text_so_that_it_can_be_refused_with_a_clear_error()
    {
        var request = JsonSerializer.Deserialize<ReversalRequest>("""{"redemptionId":"R-1","terminalId":"T-1","reason":"Angry","terminalTimeUnixMs":1}""", Json)!;
        Assert.Equal("Angry", request.Reason);
        Assert.False(ReversalReasons.IsKnown(request.Reason));
    }

    [Fact]
    public void A_reversal_reason_code_is_written_by_name()
    {
        Assert.Equal("\"CashierError\"", JsonSerializer.Serialize(ReversalReason.CashierError, Json));
        Assert.Equal(ReversalReason.Fraud, JsonSerializer.Deserialize<ReversalReason>("\"Fraud\"", Json));
    }

    [Theory]
    [InlineData("GoodsReturned", true)]
    [InlineData("Other", true)]
    [InlineData("goodsreturned", false)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Reason_codes_are_known_only_when_spelled_exactly(string? reason, bool known)
    {
        Assert.Equal(known, ReversalReasons.IsKnown(reason));
        Assert.Equal(known, ReversalReasons.TryParse(reason, out var code));
        if (known) Assert.Equal(reason, code.ToString());
    }

    [Fact]
    public void The_known_reasons_are_the_codes()
    {
        Assert.Equal(["GoodsReturned", "CashierError", "DuplicateSale", "Fraud", "Other"], ReversalReasons.All);
    }

    [Fact]
    public void The_terminal_time_is_the_unix_milliseconds()
    {
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T12:00:00Z"), Examples.Receipt.TerminalTime);
    }

    [Fact]
    public void A_bulk_issue_leaves_out_a_validity_window_it_does_not_set()
    {
        var batch = new EntitlementBatch("P-1", "2026-03", [new EntitlementGrant(new string('a', 64), 5000)]);
        var json = JsonSerializer.Serialize(batch, Json);
        Assert.Equal($$"""{"programmeId":"P-1","cycle":"2026-03","grants":[{"beneficiaryHash":"{{new string('a', 64)}}","amountMinor":5000}]}""", json);
        var windowed = batch with { ValidUntil = DateTimeOffset.Parse("2026-04-01T00:00:00Z") };
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(windowed, Json));
        Assert.Equal(["programmeId", "cycle", "grants", "validUntil"], Names(doc.RootElement));
        Assert.Equal(windowed.ValidUntil, JsonSerializer.Deserialize<EntitlementBatch>(doc.RootElement.GetRawText(), Json)!.ValidUntil);
    }

    [Fact]
    public void A_page_is_items_and_bookmark()
    {
        var page = JsonSerializer.Deserialize<Page<Money>>("""{"items":[{"minor":1,"currency":"USD"}],"bookmark":"next"}""", Json)!;
        Assert.Equal([new Money(1, "USD")], page.Items);
        Assert.Equal("next", page.Bookmark);
    }

    [Fact]
    public void Each_event_name_is_spelled_as_its_constant_and_is_unique()
    {
        var names = typeof(ChaincodeEvents).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(typeof(ChaincodeEvents).GetFields().Select(f => f.Name), names); // each constant's value is its name
        Assert.Contains("RedemptionAccepted", names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
