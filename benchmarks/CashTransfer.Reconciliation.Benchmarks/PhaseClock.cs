using System.Diagnostics;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Benchmarks;

/// <summary>
/// Times a reconciliation's phases from its progress reports: a phase runs from the first report of its stage until the
/// first report of the next (the per-retailer stages count as one, "checking retailers"). Reports synchronously, on the
/// engine's thread, so that each time is taken when the engine reaches the phase.
/// </summary>
internal sealed class PhaseClock : IProgress<ReconciliationProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Phase, TimeSpan Start)> _starts = [];
    private TimeSpan? _end;

    public void Report(ReconciliationProgress value)
    {
        var phase = value.Stage.StartsWith("checking retailer ", StringComparison.Ordinal) ? "checking retailers" : value.Stage;
        if (_starts.Count == 0 || _starts[^1].Phase != phase) _starts.Add((phase, _clock.Elapsed));
    }

    public void Stop() => _end = _clock.Elapsed;

    /// <summary>Each phase and how long it ran, in order (a phase reached twice counts its runs together).</summary>
    public IEnumerable<(string Phase, TimeSpan Elapsed)> All =>
        _starts.Select((s, i) => (s.Phase, (i + 1 < _starts.Count ? _starts[i + 1].Start : _end ?? _clock.Elapsed) - s.Start))
            .Where(p => p.Phase != "done").GroupBy(p => p.Phase).Select(g => (g.Key, TimeSpan.FromTicks(g.Sum(p => p.Item2.Ticks))));

    public TimeSpan Elapsed(string phase) => All.FirstOrDefault(p => p.Phase == phase).Elapsed;
}
