using CashTransfer.Api;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CashTransfer.Gateway.Bulk;

/// <summary>One row of an entitlement upload, numbered from 0; <see cref="Problem"/> is set when the row cannot be read.</summary>
public sealed record GrantRow(long Row, string? BeneficiaryHash, long AmountMinor, string? Problem);

/// <summary>
/// Streams the rows of an upload without loading it whole: CSV with the header <c>beneficiaryHash,amountMinor</c>,
/// or a JSON array of <c>{"beneficiaryHash": "...", "amountMinor": 1500}</c>.
/// </summary>
public static class GrantRowReader
{
    public const string CsvHeader = "beneficiaryHash,amountMinor";

    public static IAsyncEnumerable<GrantRow> ReadAsync(string path, string format, CancellationToken ct) =>
        format == "csv" ? ReadCsvAsync(path, ct) : ReadJsonAsync(path, ct);

    /// <summary>Checks the header (CSV) or the array start (JSON); returns a message when the file cannot be an upload.</summary>
    public static async Task<string?> CheckShapeAsync(string path, string format, CancellationToken ct)
    {
        if (format == "csv")
        {
            using var reader = new StreamReader(path);
            var header = (await reader.ReadLineAsync(ct))?.Trim().TrimStart('\uFEFF');
            return string.Equals(header, CsvHeader, StringComparison.OrdinalIgnoreCase) ? null : $"The CSV must start with the header line '{CsvHeader}'.";
        }
        await using var stream = File.OpenRead(path);
        var buffer = new byte[64];
        int read = await stream.ReadAsync(buffer, ct);
        var start = System.Text.Encoding.UTF8.GetString(buffer, 0, read).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return start.StartsWith('[') ? null : "The JSON upload must be an array of {\"beneficiaryHash\", \"amountMinor\"} objects.";
    }

    private static async IAsyncEnumerable<GrantRow> ReadCsvAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(path);
        await reader.ReadLineAsync(ct); // header, checked by CheckShapeAsync
        long row = 0;
        string? line;
        while ((line = await reader.ReadLineAsync(ct)) is not null)
        {
            ct.ThrowIfCancellationRequested(); // a buffered read does not look at the token: a stop must not wait for a million rows
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            if (parts.Length != 2) yield return new GrantRow(row, null, 0, "A row needs exactly two fields: beneficiaryHash,amountMinor.");
            else if (!long.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
                yield return new GrantRow(row, parts[0].Trim(), 0, "amountMinor must be a whole number of minor units.");
            else yield return new GrantRow(row, parts[0].Trim(), amount, null);
            row++;
        }
    }

    private sealed record JsonGrant(string? BeneficiaryHash, long? AmountMinor);

    private static async IAsyncEnumerable<GrantRow> ReadJsonAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        long row = 0;
        await foreach (var g in JsonSerializer.DeserializeAsyncEnumerable<JsonGrant>(stream, ApiJson.Options, ct))
        {
            ct.ThrowIfCancellationRequested();
            yield return g?.AmountMinor is null
                ? new GrantRow(row, g?.BeneficiaryHash, 0, "Each element needs beneficiaryHash and amountMinor.")
                : new GrantRow(row, g.BeneficiaryHash, g.AmountMinor.Value, null);
            row++;
        }
    }
}
