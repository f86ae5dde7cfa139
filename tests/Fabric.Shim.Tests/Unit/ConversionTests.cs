using System.Text;
using Fabric.Shim.Contracts;

namespace Fabric.Shim.Tests.Unit;

public sealed class ConversionTests
{
    public enum Category { Food, NonFood }

    public sealed record Receipt(string RedemptionId, long AmountMinor, string Currency, Category Category);

    private static object? Convert(string text, Type type) => ArgumentConverter.Convert(Encoding.UTF8.GetBytes(text), type, "p");

    [Fact]
    public void Strings_pass_unchanged_and_byte_arrays_raw()
    {
        Assert.Equal("  hé \"x\" ", Convert("  hé \"x\" ", typeof(string)));
        byte[] raw = [0, 0xFF, 0x80];
        Assert.Equal(raw, ArgumentConverter.Convert(raw, typeof(byte[]), "p"));
    }

    [Fact]
    public void Numbers_parse_with_the_invariant_culture()
    {
        Assert.Equal(42, Convert("42", typeof(int)));
        Assert.Equal(-9_000_000_000L, Convert("-9000000000", typeof(long)));
        Assert.Equal(1.5m, Convert("1.5", typeof(decimal)));
        Assert.Equal(2.25, Convert("2.25", typeof(double)));
        Assert.Equal(7, Convert("7", typeof(int?)));
    }

    [Theory]
    [InlineData("1.5", typeof(int))]
    [InlineData("abc", typeof(long))]
    [InlineData("99999999999", typeof(int))]
    [InlineData("-1", typeof(uint))]
    [InlineData("1,5", typeof(decimal))]
    [InlineData("yes", typeof(bool))]
    [InlineData("2", typeof(Category))]
    [InlineData("Drinks", typeof(Category))]
    [InlineData("{not json", typeof(Receipt))]
    public void Malformed_arguments_are_client_errors_that_name_the_parameter(string text, Type type)
    {
        var error = Assert.Throws<ChaincodeException>(() => ArgumentConverter.Convert(Encoding.UTF8.GetBytes(text), type, "amount"));
        Assert.Equal(400, error.Status);
        Assert.Contains("'amount'", error.Message);
        Assert.DoesNotContain(text, error.Message); // arguments may carry personal data: never echo them
    }

    [Fact]
    public void Booleans_and_enums_parse_by_name_ignoring_case()
    {
        Assert.Equal(true, Convert(" TRUE ", typeof(bool)));
        Assert.Equal(false, Convert("false", typeof(bool)));
        Assert.Equal(Category.NonFood, Convert("nonfood", typeof(Category)));
    }

    [Fact]
    public void Other_types_come_from_camelCase_JSON()
    {
        var receipt = Convert("""{"redemptionId":"r-1","amountMinor":1250,"currency":"USD","category":"Food"}""", typeof(Receipt));
        Assert.Equal(new Receipt("r-1", 1250, "USD", Category.Food), receipt);
        Assert.Equal(new[] { 1, 2, 3 }, Convert("[1,2,3]", typeof(int[])));
    }

    [Fact]
    public void Results_are_written_as_fabric_contract_api_writes_them()
    {
        Assert.Empty(ResultSerializer.ToBytes(null));
        Assert.Equal("v2", Encoding.UTF8.GetString(ResultSerializer.ToBytes("v2")));
        Assert.Equal(new byte[] { 1, 2 }, ResultSerializer.ToBytes(new byte[] { 1, 2 }));
        Assert.Equal("105", Encoding.UTF8.GetString(ResultSerializer.ToBytes(105)));
        Assert.Equal("0.1", Encoding.UTF8.GetString(ResultSerializer.ToBytes(0.1m)));
        Assert.Equal("true", Encoding.UTF8.GetString(ResultSerializer.ToBytes(true)));
        Assert.Equal("NonFood", Encoding.UTF8.GetString(ResultSerializer.ToBytes(Category.NonFood)));
    }

    [Fact]
    public void Objects_become_camelCase_JSON_escaped_like_JSON_stringify()
    {
        var json = Encoding.UTF8.GetString(ResultSerializer.ToBytes(new Receipt("r-\"1\"<é>", 5, "EUR", Category.NonFood)));
        Assert.Equal("""{"redemptionId":"r-\"1\"<é>","amountMinor":5,"currency":"EUR","category":"NonFood"}""", json);
    }
}
