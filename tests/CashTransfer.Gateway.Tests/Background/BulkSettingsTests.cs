using CashTransfer.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>Bulk settings that the ledger would refuse row by row stop the service at start, with the setting named.</summary>
public sealed class BulkSettingsTests
{
    [Theory]
    [InlineData("CashTransfer:Bulk:ChunkSize", "10001", "ChunkSize must be between 1 and 10000")]
    [InlineData("CashTransfer:Bulk:ChunkSize", "0", "ChunkSize must be between 1 and 10000")]
    [InlineData("CashTransfer:Bulk:MaxRows", "0", "MaxRows must be at least 1")]
    [InlineData("CashTransfer:Bulk:CommitWait", "00:00:00", "CommitWait must be longer than zero")]
    public async Task A_bulk_setting_the_ledger_would_refuse_stops_the_service_at_start(string setting, string value, string message)
    {
        await using var factory = new GatewayFactory(settings: s => s[setting] = value);

        var e = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task The_largest_chunk_the_chaincode_takes_is_accepted()
    {
        await using var factory = new GatewayFactory(settings: s => s["CashTransfer:Bulk:ChunkSize"] = "10000");
        using var client = factory.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("health")).StatusCode);
    }
}
