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
        Entitlements = checked(Entitlements + next.Entitlements),
        Issued = MoneyRules.Plus(Issued, next.Issued, "Issued"),
        Redeemed = MoneyRules.Plus(Redeemed, next.Redeemed, "Redeemed"),
        Reversed = MoneyRules.Plus(Reversed, next.Reversed, "Reversed"),
        Revoked = MoneyRules.Plus(Revoked, next.Revoked, "Revoked"),
        Reclaimed = MoneyRules.Plus(Reclaimed, next.Reclaimed, "Reclaimed"),
        Outstanding = MoneyRules.Plus(Outstanding, next.Outstanding, "Outstanding"),
        Bookmark = next.Bookmark,
    };
}

/// <summary>One version of a record: the transaction that wrote it, when, and the value (JSON) or its deletion.</summary>
public sealed record HistoryEntry(string TxId, DateTimeOffset Timestamp, bool IsDelete, System.Text.Json.JsonElement? Value);
