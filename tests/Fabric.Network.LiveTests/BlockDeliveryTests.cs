using CashTransfer.Audit.Ledger;
using Fabric.Client;

namespace Fabric.Network.LiveTests;

/// <summary>
/// The real peer's three forms of block delivery through our Fabric.Client: whole blocks, filtered blocks, and blocks
/// with private data (the live network defines no private data collections, so each block's map is empty).
/// </summary>
public sealed class BlockDeliveryTests
{
    [LiveFact]
    public async Task Deliver_DeliverFiltered_and_DeliverWithPrivateData_give_the_same_first_blocks()
    {
        using var connection = LiveNetwork.Connect(LiveNetwork.Agencies[0]);
        var network = connection.Gateway.GetNetwork(connection.Settings.Channel!);
        var count = (int)Math.Min(5, (await ChainInfo.GetAsync(network, CancellationToken.None)).Height);
        var options = new EventsOptions { StartBlock = 0 };

        var blocks = await FirstAsync(network.GetBlocksAsync(options), count);
        var filtered = await FirstAsync(network.GetFilteredBlocksAsync(options), count);
        var withPrivateData = await FirstAsync(network.GetBlocksAndPrivateDataAsync(options), count);

        Assert.Equal(Enumerable.Range(0, count).Select(n => (ulong)n), blocks.Select(b => b.Header.Number));
        Assert.Equal(blocks.Select(b => b.Header.Number), filtered.Select(b => b.Number));
        Assert.Equal(blocks, withPrivateData.Select(b => b.Block));
        Assert.All(withPrivateData, b => Assert.Empty(b.PrivateDataMap));
    }

    private static async Task<List<T>> FirstAsync<T>(IAsyncEnumerable<T> stream, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = new List<T>();
        await foreach (var item in stream.WithCancellation(timeout.Token))
        {
            result.Add(item);
            if (result.Count == count) break;
        }
        return result;
    }
}
