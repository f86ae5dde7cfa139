using System.Globalization;
using System.Text;
using CashTransfer.Cli.Demo;
using CashTransfer.Contracts;
using CashTransfer.Reconciliation.Reports;
using Spectre.Console;

namespace CashTransfer.Cli.Audit;

/// <summary>
/// The ending of <c>cashtransfer demo</c>: an auditor reconciles the demo's ledger against the terminals' exported
/// journals and a payment statement that pays every settlement exactly (clean: exit code 0), then against a statement
/// with a planted difference (one transfer 1.00 short and a payment nobody settled), which the report shows.
/// Reports go to <c>&lt;data&gt;/demo/reconciliation/{clean,planted}/</c>.
/// </summary>
public static class DemoReconciliation
{
    private sealed record SettlementView(string SettlementId, string AgencyMsp, string RetailerId, string PaymentReference, IReadOnlyList<Money> Totals, DateTimeOffset SettledAt);

    /// <summary>The two runs' outcomes: whether the clean one was clean and the planted one showed the difference.</summary>
    public sealed record Outcome(int CleanExit, int PlantedExit, string CleanReport, string PlantedReport)
    {
        public bool Passed => CleanExit == ReconcileCommand.Clean && PlantedExit == ReconcileCommand.NeedsAction;
    }

    public static async Task<Outcome> RunAsync(string dataDirectory, Uri gateway, DemoAgency agency, IAnsiConsole console, CancellationToken ct)
    {
        var folder = Path.Combine(DemoAgency.DirectoryOf(dataDirectory), "reconciliation");
        var journals = Path.Combine(folder, "journals");
        if (Directory.Exists(journals)) Directory.Delete(journals, recursive: true);
        await JournalCommand.ExportAsync(agency.Terminals.Select(t => DemoAgency.Resolve(dataDirectory, t.JournalFile)).Where(File.Exists).ToList(), journals, console, ct);

        var settlements = new List<SettlementView>();
        using (var auditor = DemoClients.Connect(gateway, dataDirectory, agency.Auditor))
            foreach (var id in agency.Settlements) settlements.Add(await auditor.GetAsync<SettlementView>($"api/audit/settlements/{id}", ct));
        var rows = settlements.SelectMany(s => s.Totals.Select(t => (s.PaymentReference, s.RetailerId, s.AgencyMsp, t.Minor, t.Currency, Day: DateOnly.FromDateTime(s.SettledAt.UtcDateTime)))).ToList();
        var paid = Path.Combine(folder, "payments.csv");
        await File.WriteAllTextAsync(paid, Statement(rows), ct);
        var planted = Path.Combine(folder, "payments-planted.csv");
        var shortPaid = rows.Count == 0 ? rows : [rows[0] with { Minor = rows[0].Minor - 100 }, .. rows.Skip(1)];
        await File.WriteAllTextAsync(planted, Statement([.. shortPaid, ("unknown-transfer-0001", agency.RetailerId, "WFPMSP", 2500, agency.Currency, DateOnly.FromDateTime(DateTime.UtcNow))]), ct);

        // The demo agency's own retailer only: `make run`'s opening scenario sells at a shop of its own straight through the
        // Fabric Gateway, with no terminal journal the service could hold, and those sales would rightly need action here.
        var order = new ReconciliationOrder(agency.CreatedAt.AddDays(-1), DateTimeOffset.UtcNow.AddMinutes(5), RetailerId: agency.RetailerId, PaymentsFile: paid,
            JournalFiles: Directory.Exists(journals) ? Directory.GetFiles(journals, "*.ndjson").Order(StringComparer.Ordinal).ToList() : []);
        console.MarkupLine("[bold]Auditor: reconciling the ledger, the terminals' journals and the payment statement[/]");
        var cleanOut = Path.Combine(folder, "clean");
        var clean = await ReconcileCommand.RunAsync(dataDirectory, gateway, order, cleanOut, ReportFiles.Formats, console, ct);
        console.MarkupLine("[bold]Auditor: the same with a payment statement that pays one transfer 1.00 short and holds an unknown payment[/]");
        var plantedOut = Path.Combine(folder, "planted");
        var withDifference = await ReconcileCommand.RunAsync(dataDirectory, gateway, order with { PaymentsFile = planted }, plantedOut, ReportFiles.Formats, console, ct);
        return new Outcome(clean, withDifference, Path.Combine(cleanOut, HtmlReport.FileName), Path.Combine(plantedOut, HtmlReport.FileName));
    }

    private static string Statement(IEnumerable<(string Reference, string Retailer, string Agency, long Minor, string Currency, DateOnly Day)> rows)
    {
        var csv = new StringBuilder("paymentReference,retailerId,agencyMsp,amountMinor,currency,valueDate\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Reference},{r.Retailer},{r.Agency},{r.Minor},{r.Currency},{r.Day:yyyy-MM-dd}\n");
        return csv.ToString();
    }
}
