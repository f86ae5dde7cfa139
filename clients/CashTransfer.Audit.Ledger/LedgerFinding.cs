namespace CashTransfer.Audit.Ledger;

/// <summary>One problem the verification found: where (block, transaction), and what was expected against what was found.</summary>
public sealed record LedgerFinding(FindingKind Kind, ulong BlockNumber, string? TransactionId, string Expected, string Found, string Detail = "")
{
    public override string ToString() =>
        $"{Kind} at block {BlockNumber}{(TransactionId is null ? "" : $" tx {TransactionId}")}: expected {Expected}, found {Found}{(Detail.Length > 0 ? $" ({Detail})" : "")}";
}
