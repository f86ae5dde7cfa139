using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Reports;

/// <summary>The report formats and writing the chosen ones into a folder.</summary>
public static class ReportFiles
{
    public static readonly IReadOnlyList<string> Formats = ["html", "csv", "json"];

    public static string FileNameOf(string format) => format switch
    {
        "html" => HtmlReport.FileName,
        "csv" => CsvReport.FileName,
        "json" => JsonReport.FileName,
        _ => throw new ArgumentException($"Unknown report format {format}; use html, csv or json.", nameof(format)),
    };

    public static string ContentTypeOf(string fileName) => Path.GetExtension(fileName) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".csv" => "text/csv; charset=utf-8",
        _ => "application/json",
    };

    /// <summary>Writes each format's file into <paramref name="directory"/>; returns the paths written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(ReconciliationResult result, string directory, IEnumerable<string> formats, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var format in formats.Distinct())
        {
            var path = Path.Combine(directory, FileNameOf(format));
            await using var file = File.Create(path);
            if (format == "json") await JsonReport.WriteAsync(result, file, ct);
            else
            {
                await using var text = new StreamWriter(file);
                if (format == "html") await HtmlReport.WriteAsync(result, text, ct);
                else await CsvReport.WriteAsync(result, text, ct);
            }
            written.Add(path);
        }
        return written;
    }
}
