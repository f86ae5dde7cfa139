using Fabric.Network.Hosting;
using Fabric.Protocol.Identity;
using Fabric.Protocol.Ledger;

namespace Fabric.Client.EmbeddedTests.Support;

/// <summary>Reads the embedded network's ledger directly, independently of the client under test.</summary>
public static class LedgerInspection
{
    /// <summary>Every transaction in every committed block, in ledger order, with its block number.</summary>
    public static IEnumerable<(ulong Block, BlockTransaction Transaction)> Transactions(this EmbeddedNetwork network)
    {
        var height = network.Ledger.Height;
        for (ulong n = 1; n < height; n++)
        {
            foreach (var tx in BlockTransactions.Read(network.Ledger.GetBlock(n)))
                yield return (n, tx);
        }
    }

    /// <summary>The MSP ids of the peers that endorsed a committed transaction.</summary>
    public static IReadOnlySet<string> EndorsersOf(this EmbeddedNetwork network, string transactionId)
    {
        var tx = network.Transactions().Single(t => t.Transaction.TransactionId == transactionId).Transaction;
        return tx.Envelope.Actions.SelectMany(a => a.Endorsements)
            .Select(e => X509Identity.FromSerializedIdentity(e.Endorser.Span).MspId).ToHashSet();
    }

    /// <summary>The raw bytes of every block after the genesis block.</summary>
    public static IEnumerable<byte[]> RawBlocks(this EmbeddedNetwork network)
    {
        var height = network.Ledger.Height;
        for (ulong n = 1; n < height; n++) yield return Google.Protobuf.MessageExtensions.ToByteArray(network.Ledger.GetBlock(n));
    }

    /// <summary>The committed value of a key in the chaincode's namespace, as UTF-8; null when absent.</summary>
    public static string? StateOf(this EmbeddedNetwork network, string chaincode, string key)
    {
        var value = network.Ledger.State.Get(chaincode, key);
        return value?.Value.ToStringUtf8();
    }
}
