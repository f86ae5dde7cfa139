using System.Text.Json;

namespace CashTransfer.Contracts.Tests;

/// <summary>Money is integer minor units of an active ISO 4217 currency; anything else is refused with an error that says what to send.</summary>
public sealed class MoneyTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("USD")]
    [InlineData("KES")]
    [InlineData("JOD")]
    [InlineData("XOF")]
    [InlineData("VED")]
    [InlineData("XCG")]
    public void Active_ISO_4217_codes_are_valid(string currency)
    {
        Assert.True(new Money(1, currency).TryValidate(out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("US")]
    [InlineData("USDT")]
    [InlineData("XYZ")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_refused_with_an_error_naming_the_code_and_the_rule(string? currency)
    {
        Assert.False(new Money(1, currency!).TryValidate(out var error));
        Assert.Contains($"'{currency}'", error);
        Assert.Contains("ISO 4217", error);
        Assert.Contains("USD", error); // says what to send instead
    }

    [Theory]
    [InlineData("USD", 2)]
    [InlineData("JPY", 0)]
    [InlineData("UGX", 0)]
    [InlineData("KWD", 3)]
    [InlineData("JOD", 3)]
    public void Minor_unit_exponents_follow_ISO_4217(string code, int exponent) => Assert.Equal(exponent, Currencies.MinorUnitExponent(code));

    [Fact]
    public void Json_is_minor_and_currency_and_reads_back_equal()
    {
        var money = new Money(1250, "KES");
        var json = JsonSerializer.Serialize(money, Json);
        Assert.Equal("""{"minor":1250,"currency":"KES"}""", json);
        Assert.Equal(money, JsonSerializer.Deserialize<Money>(json, Json));
        Assert.Equal(new Money(long.MaxValue, "USD"), JsonSerializer.Deserialize<Money>($$"""{"minor":{{long.MaxValue}},"currency":"USD"}""", Json));
    }

    [Theory]
    [InlineData("""{"minor":12.5,"currency":"USD"}""")]
    [InlineData("""{"minor":1e3,"currency":"USD"}""")]
    [InlineData("""{"minor":9223372036854775808,"currency":"USD"}""")]
    [InlineData("""{"minor":true,"currency":"USD"}""")]
    public void Amounts_that_are_not_whole_minor_units_are_refused_when_read_naming_the_field(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Money>(json, Json));
        Assert.Equal("$.minor", error.Path);
    }

    [Fact]
    public void Zero_and_text_say_the_amount_is_in_minor_units()
    {
        Assert.Equal(new Money(0, "JOD"), Money.Zero("JOD"));
        Assert.Equal("1250 KES (minor units)", new Money(1250, "KES").ToString());
    }

    [Theory]
    [InlineData(67_900, "JOD", "67.900 JOD")]
    [InlineData(3_500, "USD", "35.00 USD")]
    [InlineData(2_500, "JPY", "2,500 JPY")]
    [InlineData(-100, "KES", "-1.00 KES")]
    [InlineData(1_000_000_000_000_001, "EUR", "10,000,000,000,000.01 EUR")]
    public void An_amount_reads_in_major_units_with_the_currency_s_own_decimals(long minor, string currency, string expected) =>
        Assert.Equal(expected, Currencies.Format(minor, currency));
}
