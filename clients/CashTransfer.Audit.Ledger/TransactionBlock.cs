using Common;
using Fabric.Client;

namespace CashTransfer.Audit.Ledger;

/// <summary>Asks a peer's query system chaincode (<c>qscc</c>) which block holds a transaction.</summary>
public static class TransactionBlock
{
    /// <summary>The block number, or null when the peer's index has no such transaction.</summary>
    public static async Task<ulong?> NumberAsync(Network network, string txId, CancellationToken cancellationToken)
    {
        var qscc = network.GetContract("qscc");
        try
        {
            var bytes = await qscc.EvaluateAsync("GetBlockByTxID", new ProposalOptions().AddArguments(network.Name, txId), cancellationToken: cancellationToken).ConfigureAwait(false);
            return Block.Parser.ParseFrom(bytes).Header?.Number;
        }
        catch (GatewayException e) when (e.Details.Any(d => d.Message.Contains("no such transaction ID", StringComparison.Ordinal)))
        {
            return null;
        }
    }
}
