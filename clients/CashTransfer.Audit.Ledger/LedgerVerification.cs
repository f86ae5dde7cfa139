namespace CashTransfer.Audit.Ledger;

/// <summary>The outcome of verifying one peer's copy of a channel (and, when asked, comparing it with other peers').</summary>
public sealed record LedgerVerification(
    string Channel,
    string Peer,
    ulong Height,
    ulong BlocksVerified,
    ulong TransactionsVerified,
    ulong ValidTransactions,
    string LastBlockHash,
    int StateKeysCompared,
    int StateKeysNotQueryable,
    int StateKeysRewrittenAboveHeight,
    IReadOnlyList<PeerComparison> Comparisons,
    IReadOnlyList<LedgerFinding> Findings)
{
    public bool Verified => Findings.Count == 0;
}

/// <summary>Two peers' copies compared block by block up to the lower height; the first differing block when they differ.</summary>
public sealed record PeerComparison(string Peer, string OtherPeer, ulong Height, ulong OtherHeight, ulong BlocksCompared, ulong? FirstDifferingBlock);
