using CashTransfer.Chaincode.Domain;
using CashTransfer.Cli.Local;
using Spectre.Console;

namespace CashTransfer.Cli.Tests;

/// <summary>The demo's closing summary, as `make run` prints it to an 80-column terminal or a log.</summary>
public sealed class DemoSummaryTests
{
    [Fact]
    public void Each_programme_row_stays_whole_on_one_80_column_line()
    {
        // The demo's longest figures: ids with a run suffix and eight-digit minor-unit amounts.
        var programmes = new[]
        {
            Totals("unhcr-cash-120616354c38", budget: 10_000_000, issued: 10_000_000, redeemed: 5_000_000),
            Totals("wfp-food-120616354c38", budget: 6_000_000, issued: 6_000_000, redeemed: 1_200_000),
        };
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 80;

        new DemoSummary(programmes, 100, 1, 1, 6_200_000, 6_200_000, "JOD", TimeSpan.FromSeconds(2)).Print(console);

        var lines = output.ToString().Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        foreach (var p in programmes)
        {
            // The whole row on one line, every figure apart from its neighbours.
            var row = Assert.Single(lines, l => l.Contains(p.ProgrammeId, StringComparison.Ordinal));
            Assert.Equal([p.ProgrammeId, $"{p.BudgetMinor:N0}", $"{p.Issued:N0}", $"{p.Redeemed:N0}", $"{p.Outstanding:N0}", $"{p.Entitlements:N0}"],
                row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    private static ProgrammeTotals Totals(string id, long budget, long issued, long redeemed) =>
        new(id, "JOD", budget, issued, 200, issued, redeemed, 0, 0, 0, issued - redeemed, "");
}
