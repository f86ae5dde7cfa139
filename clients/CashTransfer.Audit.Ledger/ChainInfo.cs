using Common;
using Fabric.Client;

namespace CashTransfer.Audit.Ledger;

/// <summary>Asks a peer's query system chaincode (<c>qscc</c>) for the channel's height and newest block hash.</summary>
public static class ChainInfo
{
    public static async Task<BlockchainInfo> GetAsync(Network network, CancellationToken cancellationToken)
    {
        var qscc = network.GetContract("qscc");
        var bytes = await qscc.EvaluateAsync("GetChainInfo", new ProposalOptions().AddArguments(network.Name), cancellationToken: cancellationToken).ConfigureAwait(false);
        return BlockchainInfo.Parser.ParseFrom(bytes);
    }
}
