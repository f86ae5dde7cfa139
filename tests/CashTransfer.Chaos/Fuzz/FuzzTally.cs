using System.Collections.Concurrent;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>Thread-safe counts by target and outcome, plus a few examples of each suspicious outcome.</summary>
public sealed class FuzzTally
{
    private readonly ConcurrentDictionary<(string Target, string Outcome), long> _counts = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _examples = new();
    private long _sent;

    public long Sent => Interlocked.Read(ref _sent);

    public void Count(string target, string outcome, long sent = 1)
    {
        Interlocked.Add(ref _sent, sent);
        _counts.AddOrUpdate((target, outcome), sent, (_, n) => n + sent);
    }

    /// <summary>An outcome that is not one message's (how a conversation ended after its last message): counted, not sent.</summary>
    public void Note(string target, string outcome) => _counts.AddOrUpdate((target, outcome), 1, (_, n) => n + 1);

    /// <summary>Keeps up to three examples of a finding (its input, response and log line), by finding.</summary>
    public void Example(string finding, string detail)
    {
        var queue = _examples.GetOrAdd(finding, _ => new ConcurrentQueue<string>());
        if (queue.Count < 3) queue.Enqueue(detail.Length > 800 ? detail[..800] + "..." : detail);
    }

    public IReadOnlyList<(string Target, string Outcome, long Count)> Counts =>
        _counts.Where(c => c.Value > 0).Select(c => (c.Key.Target, c.Key.Outcome, c.Value)).OrderBy(c => c.Target, StringComparer.Ordinal).ThenByDescending(c => c.Value).ToList();

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Examples => _examples.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value.ToList());
}
