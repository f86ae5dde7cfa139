using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CashTransfer.Reconciliation;
using CashTransfer.Reconciliation.Benchmarks;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Sources;

// One reconciliation of a month: REDEMPTIONS ledger redemptions (synthetic ledger source) against as many journal
// receipts (the service's journal, hash-chained) and 10^4 payments. Limits: 60 s and 1 GiB peak working set.
// Reference in the same run: the auditor export's per-row work (each ledger row written as one JSON line) on the same rows.
var redemptions = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
var period = new SyntheticPeriod(redemptions, terminals: 1_000, retailers: 100, settlementsPerRetailer: 100);
var work = Path.Combine(Path.GetTempPath(), $"recon-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
try
{
    var exportWatch = Stopwatch.StartNew();
    long exported = 0;
    await using (var sink = Stream.Null)
    await using (var writer = new StreamWriter(sink, new UTF8Encoding(false), 1 << 16))
        await foreach (var r in period.RedemptionsAsync(SyntheticPeriod.From, SyntheticPeriod.To, default))
        {
            await writer.WriteAsync(JsonSerializer.Serialize(r, JsonSerializerOptions.Web) + "\n");
            exported++;
        }
    exportWatch.Stop();

    var csv = Encoding.UTF8.GetBytes(period.StatementCsv());
    var watch = Stopwatch.StartNew();
    using var result = await new ReconciliationEngine(new ReconciliationOptions(work)).RunAsync(new ReconciliationScope(SyntheticPeriod.From, SyntheticPeriod.To),
        new ReconciliationInputs(period, [period.ServiceJournal], new PaymentStatement("payments.csv", () => new MemoryStream(csv))));
    watch.Stop();

    var peak = Process.GetCurrentProcess().PeakWorkingSet64;
    var exportRate = exported / exportWatch.Elapsed.TotalSeconds;
    var rate = result.Counts.LedgerRedemptions / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"reconciliation: {result.Counts.LedgerRedemptions:N0} ledger redemptions, {result.Counts.JournalReceipts:N0} journal receipts, " +
        $"{result.Counts.Payments:N0} payments, {result.Counts.Findings:N0} findings in {watch.Elapsed.TotalSeconds:F1} s ({rate:N0} ledger rows/s)");
    Console.WriteLine($"reference: the export's per-row work on the same rows, {exportRate:N0} rows/s; reconciliation / export = {rate / exportRate:F2}");
    Console.WriteLine($"peak working set {peak / (1024.0 * 1024):N0} MiB");
    var ok = watch.Elapsed.TotalSeconds <= 60 && peak <= 1L << 30 && result.Counts.Findings == 0 && result.Counts.JournalCopiesMatched == redemptions;
    Console.WriteLine(ok ? "PASS: within 60 s and 1 GiB, clean" : "FAIL: over 60 s or 1 GiB, or not clean");
    return ok ? 0 : 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}
