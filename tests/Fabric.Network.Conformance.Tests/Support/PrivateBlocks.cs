using Fabric.Client;
using Kvrwset;
using Protos;

namespace Fabric.Network.Conformance.Tests.Support;

/// <summary>Reads one block with its private data through a peer's <c>DeliverWithPrivateData</c>, with our Fabric.Client.</summary>
public static class PrivateBlocks
{
    public static async Task<BlockAndPrivateData> DeliveredAsync(Fabric.Client.Gateway gateway, string channel, ulong blockNumber)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var block in gateway.GetNetwork(channel).GetBlocksAndPrivateDataAsync(new EventsOptions { StartBlock = blockNumber }, timeout.Token))
            return block;
        throw new InvalidOperationException($"Block {blockNumber} was not delivered.");
    }

    /// <summary>Every private write the block carries for one collection: key to value ("" for a delete).</summary>
    public static Dictionary<string, string> Writes(BlockAndPrivateData block, string chaincode, string collection) =>
        block.PrivateDataMap.Values
            .SelectMany(tx => tx.NsPvtRwset.Where(ns => ns.Namespace == chaincode))
            .SelectMany(ns => ns.CollectionPvtRwset.Where(c => c.CollectionName == collection))
            .SelectMany(c => KVRWSet.Parser.ParseFrom(c.Rwset).Writes)
            .ToDictionary(w => w.Key, w => w.IsDelete ? "" : w.Value.ToStringUtf8());
}
