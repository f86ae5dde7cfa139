using CashTransfer.Audit.Ledger.State;
using Common;
using Fabric.Client;

namespace CashTransfer.Audit.Ledger;

/// <summary>What to verify: which peer (by name, for reports), the state query to compare with, and progress.</summary>
public sealed class LedgerVerifierOptions
{
    /// <summary>How reports name the peer (e.g. its address).</summary>
    public string PeerName { get; init; } = "peer";

    /// <summary>Compares the rebuilt state of this query's namespace with the chaincode's answers; none when null.</summary>
    public IWorldStateQuery? StateQuery { get; init; }

    /// <summary>Blocks verified so far, and the height being verified.</summary>
    public IProgress<(ulong Verified, ulong Height)>? Progress { get; init; }

    /// <summary>Keys of the rebuilt state checked against the chaincode so far, and how many there are.</summary>
    public IProgress<(int Checked, int Keys)>? StateProgress { get; init; }
}

/// <summary>
/// Verifies a peer's copy of a channel from its blocks alone: asks the peer's qscc for the height, reads every block
/// from genesis through the peer's Deliver service, checks each with <see cref="BlockVerifier"/>, then compares the
/// rebuilt state with the chaincode's queries. Nothing the peer says is trusted except as the thing checked.
/// </summary>
public static class LedgerVerifier
{
    public static async Task<LedgerVerification> VerifyAsync(Network network, LedgerVerifierOptions options, CancellationToken cancellationToken)
    {
        var info = await ChainInfo.GetAsync(network, cancellationToken).ConfigureAwait(false);
        var verifier = new BlockVerifier();
        var findings = new List<LedgerFinding>();
        await foreach (var block in ReadBlocksAsync(network, info.Height, cancellationToken).ConfigureAwait(false))
        {
            findings.AddRange(verifier.Verify(block));
            options.Progress?.Report((verifier.BlocksVerified, info.Height));
        }
        if (verifier.BlocksVerified != info.Height)
            findings.Add(new(FindingKind.BlockNumberGap, verifier.BlocksVerified, null, $"blocks 0 to {info.Height - 1} from Deliver", $"{verifier.BlocksVerified} blocks before the stream ended"));
        var lastHash = verifier.LastHeaderHash is { } hash ? Convert.ToHexStringLower(hash) : "";
        if (info.Height > 0 && !info.CurrentBlockHash.Span.SequenceEqual(verifier.LastHeaderHash))
            findings.Add(new(FindingKind.ChainInfoMismatch, info.Height - 1, null, lastHash, Convert.ToHexStringLower(info.CurrentBlockHash.Span),
                "the peer's GetChainInfo names another hash for its newest block than the block it delivered"));

        var state = new StateComparisonResult(0, 0, 0, []);
        if (options.StateQuery is { } query)
        {
            state = await StateComparison.RunAsync(verifier.State, verifier.BlocksVerified, query,
                (txId, ct) => TransactionBlock.NumberAsync(network, txId, ct), cancellationToken, options.StateProgress).ConfigureAwait(false);
            findings.AddRange(state.Findings);
        }
        return new LedgerVerification(network.Name, options.PeerName, info.Height, verifier.BlocksVerified, verifier.TransactionsVerified,
            verifier.ValidTransactions, lastHash, state.KeysCompared, state.KeysNotQueryable, state.KeysRewrittenAboveHeight, [], findings);
    }

    /// <summary>
    /// Reads two peers' blocks side by side up to the lower of their heights and reports the first block whose header
    /// hash or validation flags differ. A peer that is behind is not a divergence (it has not committed yet).
    /// </summary>
    public static async Task<(PeerComparison Comparison, LedgerFinding? Finding)> CompareAsync(Network peer, string peerName, Network other, string otherName, CancellationToken cancellationToken)
    {
        var heights = await Task.WhenAll(ChainInfo.GetAsync(peer, cancellationToken), ChainInfo.GetAsync(other, cancellationToken)).ConfigureAwait(false);
        var common = Math.Min(heights[0].Height, heights[1].Height);
        ulong compared = 0;
        LedgerFinding? finding = null;
        await using var mine = ReadBlocksAsync(peer, common, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var theirs = ReadBlocksAsync(other, common, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await mine.MoveNextAsync().ConfigureAwait(false) && await theirs.MoveNextAsync().ConfigureAwait(false))
        {
            compared++;
            if (BlockDifference.Between(mine.Current, theirs.Current) is not { } difference) continue;
            finding = new LedgerFinding(FindingKind.PeersDiverge, mine.Current.Header.Number, null, $"{peerName}: {difference.Mine}", $"{otherName}: {difference.Theirs}", difference.What);
            break;
        }
        return (new PeerComparison(peerName, otherName, heights[0].Height, heights[1].Height, compared, finding?.BlockNumber), finding);
    }

    /// <summary>Blocks 0 .. height-1 from the peer's Deliver service (which would otherwise wait for new blocks).</summary>
    private static async IAsyncEnumerable<Block> ReadBlocksAsync(Network network, ulong height, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (height == 0) yield break;
        await foreach (var block in network.GetBlocksAsync(new EventsOptions { StartBlock = 0 }, cancellationToken).ConfigureAwait(false))
        {
            yield return block;
            if (block.Header?.Number >= height - 1) yield break;
        }
    }
}
