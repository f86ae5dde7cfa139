using System.Diagnostics;

namespace Fabric.Network.Benchmarks;

/// <summary>Mean time of a submit's steps: endorse, submit to the orderer, wait for the commit status.</summary>
public sealed class SubmitPhases
{
    private long _count, _endorse, _submit, _commit;

    public long Count => Interlocked.Read(ref _count);

    public void Add(long endorseTicks, long submitTicks, long commitTicks)
    {
        Interlocked.Add(ref _endorse, endorseTicks);
        Interlocked.Add(ref _submit, submitTicks);
        Interlocked.Add(ref _commit, commitTicks);
        Interlocked.Increment(ref _count);
    }

    public override string ToString() =>
        $"means: endorse {Milliseconds(_endorse):F1} ms, submit {Milliseconds(_submit):F1} ms, commit status {Milliseconds(_commit):F1} ms";

    private double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency / Math.Max(1, Count);
}
