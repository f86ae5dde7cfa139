using System.Security.Cryptography;
using Google.Protobuf;
using Kvrwset;

namespace Fabric.Network.Ledger;

/// <summary>
/// Collects the results of one range query for the read set, as Fabric's simulator does: up to
/// <see cref="MaxDegree"/> results are kept as raw reads; beyond that they are folded into a merkle
/// summary (each leaf the SHA-256 of a serialized <c>QueryReads</c> of MaxDegree + 1 reads, each higher
/// node the hash of MaxDegree + 1 concatenated hashes), so the read set stays small. The validator
/// re-executes the query through the same class and compares.
/// </summary>
public sealed class RangeQueryResults
{
    /// <summary>Fabric's default (ledger.state.totalQueryLimit aside): the summary uses degree 50.</summary>
    public const int DefaultMaxDegree = 50;

    private readonly int _maxDegree;
    private readonly List<KVRead> _pending = new();
    private readonly SortedDictionary<int, List<byte[]>> _tree = new();
    private int _maxLevel = 1;

    public RangeQueryResults(int maxDegree = DefaultMaxDegree)
    {
        if (maxDegree < 2) throw new ArgumentOutOfRangeException(nameof(maxDegree), "the merkle degree must be at least 2");
        _maxDegree = maxDegree;
    }

    public int MaxDegree => _maxDegree;

    public void Add(KVRead read)
    {
        _pending.Add(read);
        if (_pending.Count > _maxDegree) FoldPending();
    }

    /// <summary>Either raw reads (few results) or a merkle summary (many), never both.</summary>
    public (IReadOnlyList<KVRead> RawReads, QueryReadsMerkleSummary? Summary) Done()
    {
        if (IsTreeEmpty) return (_pending, null);
        if (_pending.Count > 0) FoldPending();
        Complete();
        var summary = new QueryReadsMerkleSummary { MaxDegree = (uint)_maxDegree, MaxLevel = (uint)_maxLevel };
        summary.MaxLevelHashes.AddRange(_tree.GetValueOrDefault(_maxLevel, []).Select(ByteString.CopyFrom));
        return ([], summary);
    }

    private bool IsTreeEmpty => _maxLevel == 1 && _tree.GetValueOrDefault(1, []).Count == 0;

    private void FoldPending()
    {
        var reads = new QueryReads();
        reads.KvReads.AddRange(_pending);
        _pending.Clear();
        AddLeaf(SHA256.HashData(reads.ToByteArray()));
    }

    private void AddLeaf(byte[] hash)
    {
        Level(1).Add(hash);
        int level = 1;
        while (Level(level).Count > _maxDegree)
        {
            var combined = Combine(Level(level));
            _tree.Remove(level);
            level++;
            Level(level).Add(combined);
            if (level > _maxLevel) _maxLevel = level;
        }
    }

    private void Complete()
    {
        int level = 1;
        while (level < _maxLevel)
        {
            var hashes = _tree.GetValueOrDefault(level, []);
            if (hashes.Count == 0) { level++; continue; }
            var h = hashes.Count == 1 ? hashes[0] : Combine(hashes);
            _tree.Remove(level);
            level++;
            Level(level).Add(h);
        }
        var top = Level(_maxLevel);
        if (top.Count > _maxDegree)
        {
            var combined = Combine(top);
            _tree.Remove(_maxLevel);
            _maxLevel++;
            _tree[_maxLevel] = [combined];
        }
    }

    private List<byte[]> Level(int level)
    {
        if (!_tree.TryGetValue(level, out var list)) _tree[level] = list = new List<byte[]>();
        return list;
    }

    private static byte[] Combine(List<byte[]> hashes) => SHA256.HashData(hashes.SelectMany(h => h).ToArray());
}
