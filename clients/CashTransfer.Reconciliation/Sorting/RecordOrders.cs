using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Sorting;

/// <summary>The sort orders of the merge steps, each with a full tie-break so that the result never depends on input order.</summary>
public static class RecordOrders
{
    public static readonly IComparer<LedgerRedemption> RedemptionById =
        Comparer<LedgerRedemption>.Create((a, b) => string.CompareOrdinal(a.RedemptionId, b.RedemptionId));

    /// <summary>By redemption id, then receipt hash, then where the copy came from.</summary>
    public static readonly IComparer<JournalLine> JournalById = Comparer<JournalLine>.Create((a, b) =>
    {
        var c = string.CompareOrdinal(a.Receipt!.Receipt.RedemptionId, b.Receipt!.Receipt.RedemptionId);
        if (c == 0) c = string.CompareOrdinal(a.ReceiptHash, b.ReceiptHash);
        return c != 0 ? c : CompareOrigin(a, b);
    });

    /// <summary>By terminal and journal sequence, then receipt hash, then where the copy came from.</summary>
    public static readonly IComparer<JournalLine> JournalBySequence = Comparer<JournalLine>.Create((a, b) =>
    {
        var c = string.CompareOrdinal(a.Receipt!.Receipt.TerminalId, b.Receipt!.Receipt.TerminalId);
        if (c == 0) c = a.Receipt.Receipt.Sequence.CompareTo(b.Receipt.Receipt.Sequence);
        if (c == 0) c = string.CompareOrdinal(a.ReceiptHash, b.ReceiptHash);
        return c != 0 ? c : CompareOrigin(a, b);
    });

    private static int CompareOrigin(JournalLine a, JournalLine b)
    {
        var c = string.CompareOrdinal(a.Source, b.Source);
        return c != 0 ? c : a.Line.CompareTo(b.Line);
    }
}
