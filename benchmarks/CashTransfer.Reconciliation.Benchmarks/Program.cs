using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Gateway.Hosting;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Reconciliations;
using CashTransfer.Reconciliation;
using CashTransfer.Reconciliation.Benchmarks;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Sources;

// One reconciliation of a month: REDEMPTIONS ledger redemptions against as many journal receipts (the service's journal,
// hash-chained) and 10^4 payments. The ledger is a synthetic chaincode answering its paginated queries (JSON pages, as
// the chaincode answers them); the reconciliation reads it through the service's own ledger source. Reference in the same
// run: the service's export endpoint (GET /api/audit/export, NDJSON over HTTP, as an auditor) on the same rows.
// Limits: 60 s and 1 GiB peak working set. Each phase of the reconciliation is timed, to show where the time goes.
var redemptions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var period = new SyntheticPeriod(redemptions, terminals: 1_000, retailers: 100, settlementsPerRetailer: 100);
var ledger = new SyntheticLedger(period);
var work = Path.Combine(Path.GetTempPath(), $"recon-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
Console.WriteLine($"load average at start: {LoadAverage()}");
using var auditorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
var (app, address) = await InProcessGateway.StartAsync(new Dictionary<string, string?>
{
    ["CashTransfer:DataDirectory"] = work,
    ["CashTransfer:AgencyMsp"] = "WFPMSP",
    ["CashTransfer:Clients:0:KeyId"] = "auditor/bench",
    ["CashTransfer:Clients:0:Role"] = "Auditor",
    ["CashTransfer:Clients:0:AgencyMsp"] = "WFPMSP",
    ["CashTransfer:Clients:0:PublicKeyPem"] = auditorKey.ExportSubjectPublicKeyInfoPem(),
    ["CashTransfer:Submitter:Enabled"] = "false",
    ["CashTransfer:Projection:Enabled"] = "false",
}, ledger, "http://127.0.0.1:0", _ => { });
try
{
    // Reference: the export endpoint's own work on the same rows (ledger pages -> NDJSON over HTTP).
    using var signer = new P256Signer(auditorKey);
    using var http = new HttpClient(new SigningHandler("auditor/bench", signer) { InnerHandler = new SocketsHttpHandler() })
    {
        BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan,
    };
    var exportWatch = Stopwatch.StartNew();
    long exported = 0;
    using (var response = await http.GetAsync($"api/audit/export?from={Uri.EscapeDataString(SyntheticPeriod.From.ToString("O"))}&to={Uri.EscapeDataString(SyntheticPeriod.To.ToString("O"))}",
               HttpCompletionOption.ResponseHeadersRead))
    {
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        while (await reader.ReadLineAsync() is not null) exported++;
    }
    exportWatch.Stop();

    var csv = Encoding.UTF8.GetBytes(period.StatementCsv());
    var phases = new PhaseClock();
    var watch = Stopwatch.StartNew();
    using var result = await new ReconciliationEngine(new ReconciliationOptions(work)).RunAsync(new ReconciliationScope(SyntheticPeriod.From, SyntheticPeriod.To),
        new ReconciliationInputs(new LedgerQuerySource(ledger, LedgerCaller.For(ClientRole.Auditor, "WFPMSP")), [period.ServiceJournal],
            new PaymentStatement("payments.csv", () => new MemoryStream(csv))), phases);
    watch.Stop();
    phases.Stop();

    var peak = Process.GetCurrentProcess().PeakWorkingSet64;
    var exportRate = exported / exportWatch.Elapsed.TotalSeconds;
    var ledgerRead = phases.Elapsed("reading ledger redemptions");
    var readRate = result.Counts.LedgerRedemptions / ledgerRead.TotalSeconds;
    Console.WriteLine($"reference: the export endpoint, {exported:N0} rows in {exportWatch.Elapsed.TotalSeconds:F1} s, {exportRate:N0} rows/s");
    Console.WriteLine($"reconciliation: {result.Counts.LedgerRedemptions:N0} ledger redemptions, {result.Counts.JournalReceipts:N0} journal receipts, " +
        $"{result.Counts.Payments:N0} payments, {result.Counts.Findings:N0} findings in {watch.Elapsed.TotalSeconds:F1} s");
    foreach (var (phase, elapsed) in phases.All) Console.WriteLine($"  {phase,-28} {elapsed.TotalSeconds,6:F1} s");
    Console.WriteLine($"reading redemptions from the ledger: {readRate:N0} rows/s; reconciliation read / export = {readRate / exportRate:F2}");
    Console.WriteLine($"peak working set {peak / (1024.0 * 1024):N0} MiB; load average at the end: {LoadAverage()}");
    var ok = watch.Elapsed.TotalSeconds <= 60 && peak <= 1L << 30 && result.Counts.Findings == 0 && result.Counts.JournalCopiesMatched == redemptions
        && exported == redemptions;
    Console.WriteLine(ok ? "PASS: within 60 s and 1 GiB, clean" : "FAIL: over 60 s or 1 GiB, or not clean");
    return ok ? 0 : 1;
}
finally
{
    await app.DisposeAsync();
    Directory.Delete(work, recursive: true);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
