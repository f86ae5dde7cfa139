using Fabric.Network.Configuration;
using Fabric.Network.Tests.Support;

namespace Fabric.Network.Tests;

/// <summary>
/// connection.json's dial_timeout, read as Fabric's external builder reads it: a Go duration string or a number of
/// nanoseconds, Fabric's default of 3 s when absent or zero, and a clear error naming the file otherwise.
/// </summary>
public sealed class CcaasConnectionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("\"10s\"", 10_000)]
    [InlineData("\"1m30s\"", 90_000)]
    [InlineData("\"1.5s\"", 1_500)]
    [InlineData("\"250ms\"", 250)]
    [InlineData("\"1h\"", 3_600_000)]
    [InlineData("2000000000", 2_000)] // Fabric also takes a number of nanoseconds
    [InlineData("\"0\"", 3_000)] // zero means Fabric's default
    [InlineData("null", 3_000)]
    public void Dial_timeout_is_read_in_Fabrics_format(string json, int expectedMilliseconds)
    {
        var path = Write($"{{\"address\": \"127.0.0.1:1\", \"dial_timeout\": {json}}}");

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), CcaasConnection.Load(path).EffectiveDialTimeout);
    }

    [Fact]
    public void Without_dial_timeout_the_default_is_Fabrics_three_seconds()
    {
        var connection = CcaasConnection.Load(Write("{\"address\": \"127.0.0.1:1\"}"));

        Assert.Null(connection.DialTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), connection.EffectiveDialTimeout);
    }

    [Theory]
    [InlineData("\"10\"", "missing unit")]
    [InlineData("\"ten seconds\"", "a number must come before each unit")]
    [InlineData("\"10sec\"", "unknown unit 'sec'")]
    [InlineData("\"\"", "it is empty")]
    [InlineData("\"-1s\"", "dial_timeout must not be negative")]
    [InlineData("true", "a duration must be a string")]
    public void A_dial_timeout_that_is_not_a_duration_is_rejected_with_the_file_and_the_reason(string json, string reason)
    {
        var path = Write($"{{\"address\": \"127.0.0.1:1\", \"dial_timeout\": {json}}}");

        var e = Assert.Throws<InvalidDataException>(() => CcaasConnection.Load(path));

        Assert.Contains(path, e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("3s", "3s")]
    [InlineData("1.5s", "1.5s")]
    [InlineData("250ms", "250ms")]
    [InlineData("59s", "59s")]
    public void A_duration_under_a_minute_is_printed_as_Go_prints_it(string text, string printed) =>
        Assert.Equal(printed, GoDuration.Format(GoDuration.Parse(text)));

    private string Write(string json)
    {
        var path = Path.Combine(_directory.Path, $"connection-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => _directory.Dispose();
}
