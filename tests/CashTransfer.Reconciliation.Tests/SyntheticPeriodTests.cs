using System.Text;
using CashTransfer.Reconciliation.Benchmarks;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Reports;
using CashTransfer.Reconciliation.Sources;

namespace CashTransfer.Reconciliation.Tests;

/// <summary>The benchmark's reconciliation at 10^4 rows, with sort runs small enough to spill to disk and merge.</summary>
public class SyntheticPeriodTests
{
    [Fact]
    public async Task Ten_thousand_redemptions_against_their_journal_and_payments_reconcile_clean_through_spilled_sort_runs()
    {
        var period = new SyntheticPeriod(redemptions: 10_000, terminals: 37, retailers: 5, settlementsPerRetailer: 20);
        var work = Path.Combine(Path.GetTempPath(), $"recon-synthetic-{Guid.NewGuid():N}");
        var csv = period.StatementCsv();
        try
        {
            using var result = await new ReconciliationEngine(new ReconciliationOptions(work, SortRunSize: 1_500)).RunAsync(
                new ReconciliationScope(SyntheticPeriod.From, SyntheticPeriod.To),
                new ReconciliationInputs(period, [period.ServiceJournal], new PaymentStatement("payments.csv", () => new MemoryStream(Encoding.UTF8.GetBytes(csv)))));
            Assert.Equal(10_000, result.Counts.LedgerRedemptions);
            Assert.Equal(10_000, result.Counts.JournalCopiesMatched);
            Assert.Equal(100, result.Counts.Payments);
            Assert.Equal(100, result.Counts.Settlements);
            Assert.Empty(result.Findings);
            Assert.Equal(3, result.Figures.Daily.Select(d => d.ProgrammeId).Distinct().Count());
            Assert.All(result.Figures.Retailers, r => Assert.Equal(r.SettledMinor, r.PaidMinor));
            var reports = await ReportFiles.WriteAsync(result, Path.Combine(work, "out"), ReportFiles.Formats);
            Assert.Equal(3, reports.Count);
            Assert.Contains("Nothing needs action", await File.ReadAllTextAsync(Path.Combine(work, "out", HtmlReport.FileName)));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
