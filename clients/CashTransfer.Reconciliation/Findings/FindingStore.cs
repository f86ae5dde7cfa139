using System.Text.Json;

namespace CashTransfer.Reconciliation.Findings;

/// <summary>
/// Where a run's findings go: appended to a JSON-lines file as they are found (a run with a million findings must
/// not hold them in memory), counted by kind, and read back in the order found for the reports.
/// </summary>
public sealed class FindingStore : IDisposable
{
    private readonly string _path;
    private readonly StreamWriter _writer;
    private readonly Dictionary<string, long> _byKind = new(StringComparer.Ordinal);

    public FindingStore(string directory)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, $"findings-{Guid.NewGuid():N}.ndjson");
        _writer = new StreamWriter(_path);
    }

    public long Count { get; private set; }
    public long NeedingAction { get; private set; }
    public IReadOnlyDictionary<string, long> ByKind => _byKind;

    public void Add(Finding finding)
    {
        _writer.WriteLine(JsonSerializer.Serialize(finding, ReportJson.Options));
        _byKind[finding.Kind] = _byKind.GetValueOrDefault(finding.Kind) + 1;
        Count++;
        if (finding.NeedsAction) NeedingAction++;
    }

    /// <summary>The findings in the order they were added.</summary>
    public IEnumerable<Finding> ReadAll()
    {
        _writer.Flush();
        using var reader = new StreamReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line) yield return JsonSerializer.Deserialize<Finding>(line, ReportJson.Options)!;
    }

    public void Dispose()
    {
        _writer.Dispose();
        File.Delete(_path);
    }
}
