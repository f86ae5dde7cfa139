namespace CashTransfer.Contracts.Tests;

/// <summary>The worked example of docs/receipt-encoding.md.</summary>
internal static class Examples
{
    public static readonly Receipt Receipt = new("R-T1-000042", "T-1", 42, new string('0', 64),
        "b3b1e95da2826db4c6e1afefd2915ace8b9a0d6137b4b44aa2c10b77445f445c", new Money(1250, "USD"), "food", 1772366400000);

    public static readonly ReversalRequest Reversal = new("R-T1-000042", "T-1", ReversalReason.GoodsReturned, 1772370000000);

    /// <summary>Every way of changing one field of <see cref="Receipt"/>.</summary>
    public static IEnumerable<Receipt> ReceiptWithOneFieldChanged() =>
    [
        Receipt with { RedemptionId = "R-T1-000043" }, Receipt with { TerminalId = "T-2" }, Receipt with { Sequence = 43 },
        Receipt with { PreviousReceiptHash = new string('1', 64) }, Receipt with { BeneficiaryHash = new string('a', 64) },
        Receipt with { Amount = new Money(1251, "USD") }, Receipt with { Amount = new Money(1250, "EUR") },
        Receipt with { Category = "fuel" }, Receipt with { TerminalTimeUnixMs = 1772366400001 },
    ];
}
