using System.Text;
using Fabric.Shim.Stub;

namespace Fabric.Shim.Tests.Unit;

public sealed class CompositeKeyTests
{
    [Fact]
    public void Creates_the_key_Fabric_wrote_in_the_seed_transcript()
    {
        // 03-seed/012-cc-to-peer: PUT_STATE key "\0color~name\0blue\0car1\0"
        Assert.Equal("\0color~name\0blue\0car1\0", CompositeKey.Create("color~name", ["blue", "car1"]));
    }

    [Fact]
    public void A_partial_key_ends_with_a_separator_so_that_blue_does_not_match_bluegreen()
    {
        Assert.Equal("\0color~name\0blue\0", CompositeKey.Create("color~name", ["blue"]));
        Assert.Equal("\0color~name\0", CompositeKey.Create("color~name", []));
    }

    [Fact]
    public void Split_returns_object_type_and_attributes()
    {
        var (objectType, attributes) = CompositeKey.Split("\0color~name\0blue\0car1\0");
        Assert.Equal("color~name", objectType);
        Assert.Equal(["blue", "car1"], attributes);
    }

    [Fact]
    public void Split_round_trips_unicode_and_empty_attributes()
    {
        string[] attributes = ["Zürich", "", "😀"];
        var (objectType, back) = CompositeKey.Split(CompositeKey.Create("place", attributes));
        Assert.Equal("place", objectType);
        Assert.Equal(attributes, back);
    }

    [Theory]
    [InlineData("a\0b")]
    [InlineData("a\U0010FFFFb")]
    public void Rejects_attributes_Fabric_rejects(string attribute)
    {
        Assert.Throws<ArgumentException>(() => CompositeKey.Create("type", [attribute]));
        Assert.Throws<ArgumentException>(() => CompositeKey.Create(attribute, []));
    }

    [Fact]
    public void Rejects_text_that_is_not_valid_Unicode()
    {
        var loneSurrogate = "lone " + (char)0xD800 + " surrogate"; // built in code: test data serialization would repair it
        Assert.Throws<ArgumentException>(() => CompositeKey.Create("type", [loneSurrogate]));
    }

    [Fact]
    public void Rejects_an_empty_object_type()
    {
        Assert.Throws<ArgumentException>(() => CompositeKey.Create("", ["a"]));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("\0no-trailing-separator")]
    [InlineData("")]
    public void Split_rejects_a_key_that_is_not_composite(string key)
    {
        Assert.Throws<ArgumentException>(() => CompositeKey.Split(key));
    }

    [Fact]
    public void The_end_of_a_partial_range_is_U_10FFFF_in_four_UTF8_bytes()
    {
        Assert.Equal([0xF4, 0x8F, 0xBF, 0xBF], Encoding.UTF8.GetBytes(CompositeKey.MaxUnicodeRune));
    }
}
