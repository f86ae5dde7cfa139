using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CashTransfer.Contracts;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Sources;

/// <summary>One line of a payment statement: a payment, or why the row could not be read.</summary>
public sealed record PaymentLine(long Line, PaymentRow? Payment, string? Problem);

/// <summary>
/// A payment statement in CSV (RFC 4180 quoting): a header naming at least <see cref="Columns"/> in any order
/// (other columns are ignored), then one payment per row. A header without them stops the run
/// (<see cref="ReconciliationInputException"/>); a row that cannot be read comes out with its line number and why.
/// </summary>
public sealed class PaymentStatement(string name, Func<Stream> open)
{
    public static readonly string[] Columns = ["paymentReference", "retailerId", "agencyMsp", "amountMinor", "currency", "valueDate"];

    public string Name { get; } = name;

    public static PaymentStatement FromPath(string path) => new(Path.GetFileName(path), () => File.OpenRead(path));

    public async IAsyncEnumerable<PaymentLine> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = open();
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false));
        var header = await reader.ReadLineAsync(ct);
        if (header is null) throw new ReconciliationInputException($"{Name} is empty: a payment statement starts with the header {string.Join(',', Columns)}.");
        var names = Split(header.TrimStart('\uFEFF')) ?? [];
        var index = Columns.Select(c => Array.FindIndex(names, n => string.Equals(n.Trim(), c, StringComparison.Ordinal))).ToArray();
        var missing = Columns.Where((_, i) => index[i] < 0).ToList();
        if (missing.Count > 0)
            throw new ReconciliationInputException($"{Name} has the wrong header: it lacks {string.Join(", ", missing)}. Expected {string.Join(',', Columns)} (extra columns are ignored).");
        long number = 1;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return Parse(text, number, index);
        }
    }

    private static PaymentLine Parse(string text, long number, int[] index)
    {
        var cells = Split(text);
        if (cells is null) return new PaymentLine(number, null, "an unterminated quoted field");
        if (cells.Length <= index.Max()) return new PaymentLine(number, null, $"{cells.Length} columns, the header has more");
        string Cell(int column) => cells[index[column]].Trim();
        var (reference, retailer, agency, amount, currency, date) = (Cell(0), Cell(1), Cell(2), Cell(3), Cell(4), Cell(5));
        var problems = new List<string>();
        if (reference.Length == 0) problems.Add("paymentReference is empty");
        if (retailer.Length == 0) problems.Add("retailerId is empty");
        if (agency.Length == 0) problems.Add("agencyMsp is empty");
        if (!long.TryParse(amount, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var minor))
            problems.Add($"amountMinor '{amount}' is not a whole number of minor units");
        if (!Currencies.IsIso4217(currency)) problems.Add($"currency '{currency}' is not an ISO 4217 code");
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var valueDate))
            problems.Add($"valueDate '{date}' is not a date (yyyy-MM-dd)");
        return problems.Count > 0
            ? new PaymentLine(number, null, string.Join("; ", problems))
            : new PaymentLine(number, new PaymentRow(number, reference, retailer, agency, minor, currency, valueDate), null);
    }

    /// <summary>The cells of one CSV line; null when a quoted field is not closed on the line.</summary>
    private static string[]? Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        if (quoted) return null;
        cells.Add(cell.ToString());
        return cells.ToArray();
    }
}
