using System.Globalization;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Reports;

/// <summary><c>exceptions.csv</c>: one finding per row (RFC 4180), amounts in minor units with their currency.</summary>
public static class CsvReport
{
    public const string FileName = "exceptions.csv";

    private static readonly string[] Header =
    [
        "kind", "severity", "redemptionId", "terminalId", "sequence", "retailerId", "programmeId", "agencyMsp", "paymentReference", "settlementId",
        "ledgerAmountMinor", "ledgerCurrency", "otherAmountMinor", "otherCurrency", "source", "line", "resubmitted", "evidence", "nextStep",
    ];

    public static async Task WriteAsync(ReconciliationResult result, TextWriter writer, CancellationToken ct = default)
    {
        await writer.WriteLineAsync(string.Join(',', Header));
        foreach (var f in result.Findings)
        {
            ct.ThrowIfCancellationRequested();
            string?[] cells =
            [
                f.Kind, Name(f.Severity), f.RedemptionId, f.TerminalId, Number(f.Sequence), f.RetailerId, f.ProgrammeId, f.AgencyMsp, f.PaymentReference,
                f.SettlementId, Number(f.LedgerAmount?.Minor), f.LedgerAmount?.Currency, Number(f.OtherAmount?.Minor), f.OtherAmount?.Currency, f.Source,
                Number(f.Line), f.Resubmitted ? "true" : "false", f.Evidence, f.NextStep,
            ];
            await writer.WriteLineAsync(string.Join(',', cells.Select(Quote)));
        }
    }

    public static string Name(Severity s) => s.ToString().ToLowerInvariant();

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Quotes a cell when it needs it; a cell starting with a formula character is prefixed so a spreadsheet shows it as text.</summary>
    private static string Quote(string? cell)
    {
        if (string.IsNullOrEmpty(cell)) return "";
        if (cell[0] is '=' or '+' or '-' or '@' && !long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }
}
