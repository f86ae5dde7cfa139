using System.Globalization;
using System.Net;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Reports;

/// <summary>
/// <c>reconciliation.html</c>: one self-contained page (inline CSS and SVG, no script, no external asset) with the
/// summary, the charts (redemptions per day per programme; payable, settled and paid per retailer; findings by
/// kind) and a table of findings per kind. A kind with more than <see cref="RowsPerKind"/> findings shows the first
/// ones and says how many more <c>exceptions.csv</c> holds.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "reconciliation.html";
    public const int RowsPerKind = 500;

    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
        h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
        table{border-collapse:collapse;margin:8px 0;width:100%}td,th{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
        th{background:#f4f4f4}.num{text-align:right;font-variant-numeric:tabular-nums}
        .ok{color:#1a7f37;font-weight:bold}.bad{color:#b42318;font-weight:bold}
        .critical{background:#fde8e8}.action{background:#fff6e0}.info{background:#eef4fb}
        .title{font-weight:bold;font-size:13px}.axis{font-size:11px;fill:#555}.grid{stroke:#eee}
        .charts svg{display:block;margin:12px 0}
        """;

    public static async Task WriteAsync(ReconciliationResult result, TextWriter w, CancellationToken ct = default)
    {
        var c = result.Counts;
        var s = result.Scope;
        await w.WriteLineAsync($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reconciliation {H(Day(s.From))} to {H(Day(s.To))}</title><style>{Style}</style></head><body>");
        await w.WriteLineAsync($"<h1>Reconciliation of [{H(Time(s.From))}, {H(Time(s.To))})</h1>");
        var narrowed = string.Join(", ", new[] { ("retailer", s.RetailerId), ("programme", s.ProgrammeId), ("agency", s.AgencyMsp) }.Where(n => n.Item2 is not null).Select(n => $"{n.Item1} {n.Item2}"));
        await w.WriteLineAsync($"<p>{(narrowed.Length > 0 ? "Narrowed to " + H(narrowed) + ". " : "")}Sources: {H(string.Join(", ", result.Sources))}. Run {H(Time(result.StartedAt))} to {H(Time(result.FinishedAt))}.</p>");
        await w.WriteLineAsync(result.NeedsAction
            ? $"<p class=\"bad\">{c.FindingsNeedingAction:N0} finding(s) need action.</p>"
            : "<p class=\"ok\">Nothing needs action: the ledger, the journals and the payments agree.</p>");
        await w.WriteLineAsync("<h2>Summary</h2><table>");
        foreach (var (name, value) in new (string, string)[]
        {
            ("Ledger redemptions in the period", N(c.LedgerRedemptions)),
            ("Redeemed (accepted)", string.Join(", ", c.Redeemed.Select(Amount)) is { Length: > 0 } r ? r : "none"),
            ("Journal receipts read", N(c.JournalReceipts)),
            ("Journal copies matched with the ledger", N(c.JournalCopiesMatched)),
            ("Settlements in the period", N(c.Settlements)),
            ("Payments in the statement", N(c.Payments)),
            ("Findings (all / needing action)", $"{N(c.Findings)} / {N(c.FindingsNeedingAction)}"),
            ("Receipts resubmitted", N(c.Resubmitted)),
        })
            await w.WriteLineAsync($"<tr><th>{H(name)}</th><td class=\"num\">{H(value)}</td></tr>");
        await w.WriteLineAsync("</table><h2>Charts</h2><div class=\"charts\">");
        foreach (var currency in result.Figures.Daily.Select(d => d.Currency).Distinct().Order(StringComparer.Ordinal))
        {
            var bars = result.Figures.Daily.Where(d => d.Currency == currency).GroupBy(d => d.Day).OrderBy(g => g.Key)
                .Select(g => new Bar(g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g.Select(d => new BarSegment(d.ProgrammeId, d.AmountMinor)).ToList())).ToList();
            await w.WriteLineAsync(SvgCharts.Bars($"Redeemed per day per programme ({currency}, minor units)", bars, grouped: false));
        }
        foreach (var currency in result.Figures.Retailers.Select(r => r.Currency).Distinct().Order(StringComparer.Ordinal))
        {
            var bars = result.Figures.Retailers.Where(r => r.Currency == currency)
                .Select(r => new Bar(r.RetailerId, [new("payable", r.PayableMinor), new("settled", r.SettledMinor), new("paid", r.PaidMinor)])).ToList();
            await w.WriteLineAsync(SvgCharts.Bars($"Payable, settled and paid per retailer ({currency}, minor units)", bars, grouped: true));
        }
        var kinds = FindingKinds.All.OrderByDescending(k => k.Severity).Where(k => c.FindingsByKind.ContainsKey(k.Kind)).Select(k => new Bar(k.Kind, [new(CsvReport.Name(k.Severity), c.FindingsByKind[k.Kind])])).ToList();
        await w.WriteLineAsync(kinds.Count == 0 ? "<p>No findings to chart.</p>" : SvgCharts.Bars("Findings by kind", kinds, grouped: false));
        await w.WriteLineAsync("</div><h2>Findings</h2>");
        await WriteTablesAsync(result, w, ct);
        await w.WriteLineAsync("</body></html>");
    }

    private static async Task WriteTablesAsync(ReconciliationResult result, TextWriter w, CancellationToken ct)
    {
        if (result.Counts.Findings == 0) { await w.WriteLineAsync("<p>None.</p>"); return; }
        // One pass over the stored findings per kind that has any: the tables come out grouped by kind without holding the findings in memory.
        // Most serious first: ledger defects, then what needs action, then information.
        foreach (var (kind, severity) in FindingKinds.All.Where(k => result.Counts.FindingsByKind.ContainsKey(k.Kind)).OrderByDescending(k => k.Severity))
        {
            ct.ThrowIfCancellationRequested();
            var total = result.Counts.FindingsByKind[kind];
            await w.WriteLineAsync($"<h3 id=\"{kind}\">{H(kind)} ({N(total)}, {CsvReport.Name(severity)})</h3>");
            await w.WriteLineAsync("<table><tr><th>ids</th><th>ledger</th><th>other side</th><th>evidence</th><th>next step</th></tr>");
            foreach (var f in result.Findings.Where(f => f.Kind == kind).Take(RowsPerKind))
            {
                var ids = string.Join("<br>", new[] { ("redemption", f.RedemptionId), ("terminal", f.TerminalId is null ? null : f.Sequence is null ? f.TerminalId : $"{f.TerminalId} #{f.Sequence}"),
                    ("retailer", f.RetailerId), ("programme", f.ProgrammeId), ("agency", f.AgencyMsp), ("payment", f.PaymentReference), ("settlement", f.SettlementId),
                    ("source", f.Source is null ? null : f.Line is null ? f.Source : $"{f.Source}:{f.Line}") }
                    .Where(i => i.Item2 is not null).Select(i => $"{i.Item1} {H(i.Item2!)}"));
                var next = (f.Resubmitted ? "<b>Resubmitted.</b> " : "") + H(f.NextStep);
                await w.WriteLineAsync($"<tr class=\"{CsvReport.Name(f.Severity)}\"><td>{ids}</td><td class=\"num\">{Amount(f.LedgerAmount)}</td><td class=\"num\">{Amount(f.OtherAmount)}</td><td>{H(f.Evidence)}</td><td>{next}</td></tr>");
            }
            await w.WriteLineAsync("</table>");
            if (total > RowsPerKind) await w.WriteLineAsync($"<p>And {N(total - RowsPerKind)} more of this kind in exceptions.csv.</p>");
        }
    }

    /// <summary>Money as a person reads it: the currency's major units with its own number of decimals (67900 JOD minor units is 67.900 JOD).</summary>
    private static string Amount(CashTransfer.Contracts.Money? m) =>
        m is null ? "" : H(CashTransfer.Contracts.Currencies.Format(m.Minor, m.Currency));
    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
    private static string Day(DateTimeOffset t) => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string H(string text) => WebUtility.HtmlEncode(text);
}
