namespace CashTransfer.Reconciliation.Sorting;

/// <summary>
/// Sorts more records than fit in memory: records are buffered up to <c>runSize</c>, each full buffer is sorted and
/// written to a temporary run file, and <see cref="Sorted"/> merges the runs (a heap over one record per run). Memory
/// is bounded by the run size whatever the input size; a small input never touches the disk.
/// </summary>
public sealed class ExternalSorter<T> : IDisposable
{
    private readonly IComparer<T> _order;
    private readonly IRecordCodec<T> _codec;
    private readonly string _directory;
    private readonly int _runSize;
    private readonly List<string> _runs = [];
    private List<T> _buffer;

    public ExternalSorter(IComparer<T> order, IRecordCodec<T> codec, string directory, int runSize = 200_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runSize, 1);
        _order = order;
        _codec = codec;
        _directory = directory;
        _runSize = runSize;
        _buffer = new List<T>(Math.Min(runSize, 4096));
    }

    public long Count { get; private set; }

    public void Add(T record)
    {
        _buffer.Add(record);
        Count++;
        if (_buffer.Count >= _runSize) Spill();
    }

    /// <summary>All records added, in order (stable for equal keys only within a run: give the comparer a full tie-break).</summary>
    public IEnumerable<T> Sorted()
    {
        if (_runs.Count == 0)
        {
            _buffer.Sort(_order);
            foreach (var r in _buffer) yield return r;
            yield break;
        }
        if (_buffer.Count > 0) Spill();
        var readers = _runs.Select(p => new BinaryReader(new BufferedStream(File.OpenRead(p), 1 << 16))).ToList();
        try
        {
            var heads = new PriorityQueue<(T Record, int Run), T>(_order);
            var remaining = new long[readers.Count];
            for (int i = 0; i < readers.Count; i++)
            {
                remaining[i] = readers[i].ReadInt64();
                if (remaining[i]-- > 0)
                {
                    var first = _codec.Read(readers[i]);
                    heads.Enqueue((first, i), first);
                }
            }
            while (heads.TryDequeue(out var head, out _))
            {
                yield return head.Record;
                if (remaining[head.Run]-- > 0)
                {
                    var next = _codec.Read(readers[head.Run]);
                    heads.Enqueue((next, head.Run), next);
                }
            }
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    private void Spill()
    {
        _buffer.Sort(_order);
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, $"run-{Guid.NewGuid():N}.bin");
        using (var writer = new BinaryWriter(new BufferedStream(File.Create(path), 1 << 16)))
        {
            writer.Write((long)_buffer.Count);
            foreach (var r in _buffer) _codec.Write(writer, r);
        }
        _runs.Add(path);
        _buffer = new List<T>(Math.Min(_runSize, 4096));
    }

    public void Dispose()
    {
        foreach (var run in _runs) File.Delete(run);
        _runs.Clear();
        _buffer.Clear();
    }
}
