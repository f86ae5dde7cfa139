using Fabric.Grpc.Wire;

namespace Fabric.Grpc.Tests.Wire;

public sealed class GrpcTimeoutHeaderTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("30S", 300_000_000L)]
    [InlineData("200m", 2_000_000L)]
    [InlineData("1500u", 15_000L)]
    [InlineData("100n", 1L)]
    [InlineData("1n", 1L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    public void Parses_every_unit(string header, long expectedTicks)
    {
        Assert.True(GrpcTimeoutHeader.TryParse(header, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("123456789S")]
    [InlineData("-5S")]
    [InlineData("1.5S")]
    public void Rejects_malformed_values(string header) => Assert.False(GrpcTimeoutHeader.TryParse(header, out _));

    [Theory]
    [InlineData(1L, "100n")]
    [InlineData(10_000L, "1000000n")]
    [InlineData(1_000_000L, "100000u")]
    [InlineData(50_000_000L, "5000000u")]
    [InlineData(36_000_000_000L, "3600000m")]
    [InlineData(1_000_000_000_000L, "100000S")]
    public void Encodes_in_the_finest_unit_that_fits_eight_digits(long ticks, string expected) =>
        Assert.Equal(expected, GrpcTimeoutHeader.Encode(TimeSpan.FromTicks(ticks)));

    [Fact]
    public void Encoding_rounds_up_and_survives_huge_values()
    {
        Assert.Equal("1000001u", GrpcTimeoutHeader.Encode(TimeSpan.FromTicks(10_000_001)));
        Assert.EndsWith("H", GrpcTimeoutHeader.Encode(TimeSpan.MaxValue));
        Assert.Equal(8, GrpcTimeoutHeader.Encode(TimeSpan.MaxValue).Length - 1);
    }

    [Fact]
    public void Round_trip_never_shortens_the_timeout()
    {
        foreach (var ms in new[] { 1, 7, 999, 1001, 123_456, 86_400_000, int.MaxValue })
        {
            var timeout = TimeSpan.FromMilliseconds(ms) + TimeSpan.FromTicks(3);
            Assert.True(GrpcTimeoutHeader.TryParse(GrpcTimeoutHeader.Encode(timeout), out var back));
            Assert.True(back >= timeout, $"{timeout} came back as {back}");
        }
    }
}
