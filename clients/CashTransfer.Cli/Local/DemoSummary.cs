using CashTransfer.Chaincode.Domain;
using Spectre.Console;

namespace CashTransfer.Cli.Local;

/// <summary>What the demo did and whether the ledger's invariants hold afterwards.</summary>
public sealed record DemoSummary(
    IReadOnlyList<ProgrammeTotals> Programmes,
    int Accepted,
    int Rejected,
    int RepeatsReturningFirstOutcome,
    long AcceptedMinor,
    long PayableMinor,
    string Currency,
    TimeSpan RedemptionTime)
{
    /// <summary>Per programme: issued = redeemed - reversed + revoked + reclaimed + outstanding; payables = accepted redemptions.</summary>
    public bool InvariantsHold =>
        Programmes.All(p => p.Issued == p.Redeemed - p.Reversed + p.Revoked + p.Reclaimed + p.Outstanding && p.Issued <= p.BudgetMinor)
        && Programmes.Sum(p => p.Redeemed - p.Reversed) == AcceptedMinor
        && PayableMinor == AcceptedMinor;

    public void Print(IAnsiConsole console)
    {
        // Spaces for borders, one space of padding, numbers right-aligned and the currency in the title, so that a row
        // stays on one 80-column line with its figures apart.
        var table = new Table().Border(TableBorder.Simple).Title($"Programmes (auditor's view, {Currency} minor units)").LeftAligned();
        table.AddColumn(new TableColumn("programme").NoWrap().PadLeft(0).PadRight(1));
        foreach (var heading in new[] { "budget", "issued", "redeemed", "left", "grants" })
            table.AddColumn(new TableColumn(heading).RightAligned().NoWrap().PadLeft(0).PadRight(1));
        foreach (var p in Programmes)
            table.AddRow(p.ProgrammeId, $"{p.BudgetMinor:N0}", $"{p.Issued:N0}", $"{p.Redeemed:N0}", $"{p.Outstanding:N0}", $"{p.Entitlements:N0}");
        console.Write(table);
        var rate = Accepted + Rejected == 0 ? 0 : (Accepted + Rejected) / RedemptionTime.TotalSeconds;
        console.MarkupLine($"Redemptions: [green]{Accepted} accepted[/], [yellow]{Rejected} rejected with a recorded reason[/], " +
                           $"{RepeatsReturningFirstOutcome} repeated receipts answered with their first outcome ({rate:F1} redemptions/s end to end)");
        console.MarkupLine($"Retailer payables {PayableMinor:N0} {Currency} = accepted redemptions {AcceptedMinor:N0} {Currency}");
        console.MarkupLine(InvariantsHold ? "[green]Ledger invariants hold.[/]" : "[red]Ledger invariants DO NOT hold.[/]");
    }
}
