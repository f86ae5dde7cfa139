namespace CashTransfer.Api;

/// <summary>
/// The states of one receipt, by the same names wherever it is kept: the terminal's journal (POS SDK), the service's
/// outbox and the outcomes the API answers with (<see cref="ReceiptOutcomeDto.Status"/>,
/// <see cref="AcknowledgedReceipt.Status"/>). What the ledger recorded about a decided receipt is a separate fact,
/// the redemption's ledger status (<c>Accepted</c>, <c>Rejected</c>, <c>Reversed</c>: <see cref="ReceiptOutcomeDto.LedgerStatus"/>).
/// </summary>
public static class ReceiptState
{
    /// <summary>In the terminal's journal only: signed and chained, not yet acknowledged by the service.</summary>
    public const string Recorded = "recorded";
    /// <summary>
    /// Acknowledged: stored in the service's outbox. If it holds an endorsed transaction, the last send of it failed, so
    /// its commit status is read (briefly) before it is sent again.
    /// </summary>
    public const string Received = "received";
    /// <summary>Its endorsed transaction is stored and on its way to, or accepted by, the orderer: its commit status is awaited before anything is sent again.</summary>
    public const string Submitted = "submitted";
    /// <summary>Final: its transaction is in a block and the ledger recorded the redemption as accepted.</summary>
    public const string Committed = "committed";
    /// <summary>Final, with a reason: the ledger recorded it as rejected, the chaincode refused to record it, or it could not be committed.</summary>
    public const string Rejected = "rejected";
}

/// <summary>
/// The transitions of <see cref="ReceiptState"/>, in one place. A receipt moves
/// <c>recorded -> received -> submitted -> committed | rejected</c>; from <c>submitted</c> it goes back to
/// <c>received</c> when the send of its transaction failed, or when an MVCC conflict invalidated the transaction and it
/// is endorsed afresh; <c>received</c> may end <c>rejected</c> without a transaction (the chaincode refused it at
/// endorsement, or it was endorsed too often), or <c>committed</c> when a failed send had reached the orderer after
/// all. Final states never change: a store writes a move only from the states <see cref="From"/> allows.
/// The one retry layer for an unknown submit outcome is this machine in the service's outbox: a <c>submitted</c>
/// receipt's commit status is read before anything is sent again, after a failure, a retry or a crash alike.
/// </summary>
public static class ReceiptLifecycle
{
    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        [ReceiptState.Recorded] = [ReceiptState.Received],
        [ReceiptState.Received] = [ReceiptState.Received, ReceiptState.Submitted, ReceiptState.Committed, ReceiptState.Rejected],
        [ReceiptState.Submitted] = [ReceiptState.Submitted, ReceiptState.Received, ReceiptState.Committed, ReceiptState.Rejected],
        [ReceiptState.Committed] = [],
        [ReceiptState.Rejected] = [],
    };

    /// <summary>Every state, in lifecycle order.</summary>
    public static IReadOnlyList<string> States { get; } = [.. Next.Keys];

    /// <summary>The states the service still works on (the outbox's open receipts).</summary>
    public static IReadOnlyList<string> Open { get; } = [ReceiptState.Received, ReceiptState.Submitted];

    public static bool IsKnown(string? state) => state is not null && Next.ContainsKey(state);

    public static bool IsFinal(string? state) => state is ReceiptState.Committed or ReceiptState.Rejected;

    public static bool IsOpen(string? state) => state is ReceiptState.Received or ReceiptState.Submitted;

    /// <summary>True when a receipt in <paramref name="from"/> may move to <paramref name="to"/> (staying is allowed only where the table says so).</summary>
    public static bool CanMove(string from, string to) => Next.TryGetValue(from, out var next) && next.Contains(to, StringComparer.Ordinal);

    /// <summary>The states from which a receipt may move to <paramref name="to"/>: what a store checks before it writes the move.</summary>
    public static IReadOnlyList<string> From(string to) => [.. Next.Where(n => n.Value.Contains(to, StringComparer.Ordinal)).Select(n => n.Key)];

    /// <summary>Throws unless the move is allowed.</summary>
    public static void RequireMove(string from, string to)
    {
        if (!CanMove(from, to)) throw new InvalidOperationException($"A receipt cannot move from {from} to {to}.");
    }
}
