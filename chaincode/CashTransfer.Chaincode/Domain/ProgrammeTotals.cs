namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// Programme totals over one page of its entitlements. Add the pages up (<see cref="Add"/>) until the bookmark
/// is empty: Issued = Redeemed - Reversed + Revoked + Reclaimed + Outstanding holds for every page and the sum.
/// </summary>
public sealed record ProgrammeTotals(
    string ProgrammeId,
    string Currency,
    long BudgetMinor,
    long BudgetIssuedMinor,
    int Entitlements,
    long Issued,
    long Redeemed,
    long Reversed,
    long Revoked,
    long Reclaimed,
    long Outstanding,
    string Bookmark)
{
    public ProgrammeTotals Add(ProgrammeTotals next) => this with
    {
        Entitlements = Entitlements + next.Entitlements,
        Issued = checked(Issued + next.Issued),
        Redeemed = checked(Redeemed + next.Redeemed),
        Reversed = checked(Reversed + next.Reversed),
        Revoked = checked(Revoked + next.Revoked),
        Reclaimed = checked(Reclaimed + next.Reclaimed),
        Outstanding = checked(Outstanding + next.Outstanding),
        Bookmark = next.Bookmark,
    };
}

/// <summary>One version of a record: the transaction that wrote it, when, and the value (JSON) or its deletion.</summary>
public sealed record HistoryEntry(string TxId, DateTimeOffset Timestamp, bool IsDelete, System.Text.Json.JsonElement? Value);
