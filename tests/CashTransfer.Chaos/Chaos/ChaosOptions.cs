namespace CashTransfer.Chaos.Chaos;

/// <summary>The size of a fault-suite run. <see cref="Full"/> is `make chaos`; <see cref="Short"/> runs in `make test`.</summary>
public sealed record ChaosOptions
{
    public int Terminals { get; init; }
    public int Receipts { get; init; }
    public int Rounds { get; init; }
    /// <summary>Beneficiaries per terminal (disjoint between terminals, so terminals never contend for one balance).</summary>
    public int BeneficiariesPerTerminal { get; init; } = 10;
    public int BatchReceipts { get; init; }
    /// <summary>A terminal's pause between batch uploads, so that the backlog drains across the rounds rather than before the first.</summary>
    public TimeSpan UploadPace { get; init; }
    /// <summary>How long the stack runs undisturbed between two faults.</summary>
    public TimeSpan RoundInterval { get; init; }
    /// <summary>After the last round: how long terminals may take to have every receipt acknowledged, then every acknowledged receipt decided.</summary>
    public TimeSpan SyncWait { get; init; }
    public TimeSpan DecideWait { get; init; }
    /// <summary>Rotate one terminal's key and suspend another (routine suspension, reactivated later) in the middle.</summary>
    public bool KeyChanges { get; init; } = true;

    public static ChaosOptions Full => new()
    {
        Terminals = 20, Receipts = 10_000, Rounds = 20, BatchReceipts = 25, UploadPace = TimeSpan.FromMilliseconds(1500),
        RoundInterval = TimeSpan.FromSeconds(4), SyncWait = TimeSpan.FromMinutes(10), DecideWait = TimeSpan.FromMinutes(15),
    };

    public static ChaosOptions Short => new()
    {
        Terminals = 4, Receipts = 200, Rounds = 4, BeneficiariesPerTerminal = 5, BatchReceipts = 5, UploadPace = TimeSpan.FromMilliseconds(500),
        RoundInterval = TimeSpan.FromSeconds(2), SyncWait = TimeSpan.FromSeconds(45), DecideWait = TimeSpan.FromSeconds(60),
    };

    public int ReceiptsPerTerminal => Receipts / Terminals;
}
