using CashTransfer.Audit.Ledger;
using CashTransfer.Audit.Ledger.State;
using Common;
using Fabric.Client;

namespace Fabric.Network.LiveTests.CashTransfer;

/// <summary>
/// The ledger verifier on the real Fabric 2.5 network: every block from genesis through the first agency's peer
/// (config, _lifecycle definitions and approvals, CashTransfer transactions) verifies clean, its rebuilt CashTransfer
/// state matches the contract's answers, and every other agency's peer holds the same blocks. qscc is the real peer's.
/// </summary>
public sealed class LedgerVerificationTests
{
    [LiveFact]
    public async Task The_first_agencys_ledger_verifies_from_its_blocks_and_matches_the_contracts_state()
    {
        using var auditor = LiveNetwork.ConnectAs(LiveNetwork.Agencies[0], "auditor");
        var network = auditor.Gateway.GetNetwork(auditor.Settings.Channel!);

        var result = await LedgerVerifier.VerifyAsync(network, new LedgerVerifierOptions
        {
            PeerName = LiveNetwork.Agencies[0],
            StateQuery = new CashTransferHistoryQuery(network.GetContract("cashtransfer")),
        }, CancellationToken.None);

        Assert.Empty(result.Findings);
        Assert.Equal(result.Height, result.BlocksVerified);
        Assert.True(result.Height > 1, "the channel holds more than its genesis block");
    }

    [LiveFact]
    public async Task Every_agencys_peer_holds_the_same_blocks_as_the_first()
    {
        using var first = LiveNetwork.Connect(LiveNetwork.Agencies[0]);
        foreach (var agency in LiveNetwork.Agencies.Skip(1))
        {
            using var other = LiveNetwork.Connect(agency);
            var (comparison, finding) = await LedgerVerifier.CompareAsync(
                first.Gateway.GetNetwork(first.Settings.Channel!), LiveNetwork.Agencies[0], other.Gateway.GetNetwork(other.Settings.Channel!), agency, CancellationToken.None);

            Assert.Null(finding);
            Assert.True(comparison.BlocksCompared > 0);
        }
    }

    [LiveFact]
    public async Task The_real_peers_qscc_gives_the_chain_height_and_the_newest_block()
    {
        using var connection = LiveNetwork.Connect(LiveNetwork.Agencies[0]);
        var network = connection.Gateway.GetNetwork(connection.Settings.Channel!);
        var qscc = network.GetContract("qscc");

        var info = await ChainInfo.GetAsync(network, CancellationToken.None);
        var newest = Block.Parser.ParseFrom(await qscc.EvaluateTransactionAsync("GetBlockByNumber", network.Name, (info.Height - 1).ToString()));

        Assert.Equal(info.Height - 1, newest.Header.Number);
        Assert.Equal(info.CurrentBlockHash.ToByteArray(), Fabric.Protocol.Ledger.BlockHeaderHash.Compute(newest.Header));
    }
}
