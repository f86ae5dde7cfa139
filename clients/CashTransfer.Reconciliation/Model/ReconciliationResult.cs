using CashTransfer.Reconciliation.Findings;

namespace CashTransfer.Reconciliation.Model;

/// <summary>Where a run stands, for progress bars: the stage and how many rows it has handled.</summary>
public sealed record ReconciliationProgress(string Stage, long Rows);

/// <summary>
/// A finished run: what it covered, what it read, the figures for the charts, and its findings (read back from
/// disk, in the order found). Dispose it once the reports are written.
/// </summary>
public sealed class ReconciliationResult(
    ReconciliationScope scope,
    IReadOnlyList<string> sources,
    DateTimeOffset startedAt,
    DateTimeOffset finishedAt,
    ReconciliationCounts counts,
    ReportFigures figures,
    FindingStore findings) : IDisposable
{
    public ReconciliationScope Scope { get; } = scope;
    public IReadOnlyList<string> Sources { get; } = sources;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public DateTimeOffset FinishedAt { get; } = finishedAt;
    public ReconciliationCounts Counts { get; } = counts;
    public ReportFigures Figures { get; } = figures;
    public bool NeedsAction => Counts.FindingsNeedingAction > 0;
    public IEnumerable<Finding> Findings => findings.ReadAll();

    public void Dispose() => findings.Dispose();
}
