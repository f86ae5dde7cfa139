using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;

namespace CashTransfer.Gateway.Benchmarks;

/// <summary>
/// An in-process profile of one timed run: every histogram of the gateway's meter (count and mean per instrument and
/// tags, e.g. the submitter's phases), the runtime's own counters read through an EventPipe listener (CPU use, thread
/// pool queue, lock contention, time in GC), and the process's CPU time over the wall time.
/// </summary>
internal sealed class RunProfile : IDisposable
{
    private readonly MeterListener _meters = new();
    private readonly RuntimeCounters _runtime = new();
    private readonly ConcurrentDictionary<string, (long Count, double Sum)> _histograms = new();
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;

    public RunProfile()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Telemetry.GatewayMetrics.MeterName && instrument is Histogram<double>) listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var name = new StringBuilder(instrument.Name);
            foreach (var tag in tags) name.Append(CultureInfo.InvariantCulture, $" {tag.Key}={tag.Value}");
            _histograms.AddOrUpdate(name.ToString(), (1, value), (_, s) => (s.Count + 1, s.Sum + value));
        });
        _meters.Start();
    }

    /// <summary>What the run spent, one line per figure.</summary>
    public IEnumerable<string> Report()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart;
        yield return string.Create(CultureInfo.InvariantCulture,
            $"process CPU {cpu.TotalSeconds:F1} s over {_wall.Elapsed.TotalSeconds:F1} s wall = {cpu / _wall.Elapsed:F2} of {Environment.ProcessorCount} cores (network, chaincode and service share this process)");
        foreach (var line in _runtime.Report()) yield return line;
        foreach (var (name, (count, sum)) in _histograms.OrderBy(h => h.Key, StringComparer.Ordinal))
            yield return string.Create(CultureInfo.InvariantCulture, $"{name}: {count} x mean {sum / count * 1000:F1} ms (sum {sum:F1} s)");
    }

    public void Dispose()
    {
        _meters.Dispose();
        _runtime.Dispose();
    }

    /// <summary>The System.Runtime event counters, sampled once a second: mean and peak of the ones that say where time goes.</summary>
    private sealed class RuntimeCounters : EventListener
    {
        private static readonly string[] Wanted = ["cpu-usage", "threadpool-thread-count", "threadpool-queue-length", "monitor-lock-contention-count", "time-in-gc"];
        private readonly ConcurrentDictionary<string, List<double>> _samples = new();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "System.Runtime")
                EnableEvents(source, EventLevel.Verbose, EventKeywords.All, new Dictionary<string, string?> { ["EventCounterIntervalSec"] = "1" });
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName != "EventCounters" || e.Payload is not { Count: > 0 } || e.Payload[0] is not IDictionary<string, object> p) return;
            if (p.TryGetValue("Name", out var n) && n is string name && Wanted.Contains(name))
            {
                var value = p.TryGetValue("Mean", out var mean) ? mean : p.TryGetValue("Increment", out var inc) ? inc : null;
                if (value is not null)
                {
                    var list = _samples.GetOrAdd(name, _ => []);
                    lock (list) list.Add(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                }
            }
        }

        public IEnumerable<string> Report()
        {
            foreach (var name in Wanted)
                if (_samples.TryGetValue(name, out var list))
                    lock (list)
                        if (list.Count > 0)
                            yield return string.Create(CultureInfo.InvariantCulture, $"runtime {name} (per 1 s sample): mean {list.Average():F1}, peak {list.Max():F1}");
        }
    }
}
