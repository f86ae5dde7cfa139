using CashTransfer.Audit.Ledger;
using Fabric.Client;

namespace Fabric.Network.LiveTests;

/// <summary>
/// The real peer's three forms of block delivery through our Fabric.Client: whole blocks, filtered blocks, and blocks
/// with private data. The live network defines no collections of its own, but `_lifecycle` keeps each organisation's
/// chaincode approvals in the organisation's implicit collection: a real peer hands those to its own organisation.
/// </summary>
public sealed class BlockDeliveryTests
{
    [LiveFact]
    public async Task Deliver_DeliverFiltered_and_DeliverWithPrivateData_give_the_same_blocks()
    {
        using var connection = LiveNetwork.Connect(LiveNetwork.Agencies[0]);
        var network = connection.Gateway.GetNetwork(connection.Settings.Channel!);
        var count = (int)Math.Min(16, (await ChainInfo.GetAsync(network, CancellationToken.None)).Height);   // past the first approvals
        var options = new EventsOptions { StartBlock = 0 };

        var blocks = await FirstAsync(network.GetBlocksAsync(options), count);
        var filtered = await FirstAsync(network.GetFilteredBlocksAsync(options), count);
        var withPrivateData = await FirstAsync(network.GetBlocksAndPrivateDataAsync(options), count);

        Assert.Equal(Enumerable.Range(0, count).Select(n => (ulong)n), blocks.Select(b => b.Header.Number));
        Assert.Equal(blocks.Select(b => b.Header.Number), filtered.Select(b => b.Number));
        Assert.Equal(blocks, withPrivateData.Select(b => b.Block));
        var ownCollection = $"_implicit_org_{connection.Settings.MspId}";
        var privateWrites = new List<Kvrwset.KVWrite>();
        foreach (var block in withPrivateData)
        {
            foreach (var (index, tx) in block.PrivateDataMap)
            {
                Assert.True(index < (ulong)block.Block.Data.Data.Count, $"private data of transaction {index} in a block of {block.Block.Data.Data.Count}");
                foreach (var ns in tx.NsPvtRwset)
                    foreach (var collection in ns.CollectionPvtRwset)
                    {
                        Assert.Equal(("_lifecycle", ownCollection), (ns.Namespace, collection.CollectionName));
                        privateWrites.AddRange(Kvrwset.KVRWSet.Parser.ParseFrom(collection.Rwset).Writes);
                    }
            }
        }
        // The organisation's own chaincode approvals, e.g. namespaces/fields/probe#1/EndorsementInfo.
        Assert.Contains(privateWrites, w => w.Key.StartsWith("namespaces/fields/", StringComparison.Ordinal));
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
