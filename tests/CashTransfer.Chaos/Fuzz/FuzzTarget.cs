namespace CashTransfer.Chaos.Fuzz;

/// <summary>One thing the protobuf fuzzer sends to, with its share of the run and how many messages it has had.</summary>
internal sealed class FuzzTarget(string name, double quota, Func<Random, ProtoMutator, CancellationToken, Task<int>> send)
{
    private long _sent;

    public string Name { get; } = name;
    public Func<Random, ProtoMutator, CancellationToken, Task<int>> Send { get; } = send;
    public long Remaining => Math.Max(0, (long)quota - Interlocked.Read(ref _sent));

    public void Sent(long messages) => Interlocked.Add(ref _sent, messages);

    /// <summary>A target that still has messages to go, chosen in proportion to what each has left (null when all are done).</summary>
    public static FuzzTarget? Pick(IReadOnlyList<FuzzTarget> targets, Random random)
    {
        var left = targets.Sum(t => t.Remaining);
        if (left == 0) return null;
        var point = (long)(random.NextDouble() * left);
        foreach (var target in targets)
        {
            point -= target.Remaining;
            if (point < 0 && target.Remaining > 0) return target;
        }
        return targets.LastOrDefault(t => t.Remaining > 0);
    }
}
