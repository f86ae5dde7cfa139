using System.Collections;

namespace CashTransfer.Gateway.Bulk;

/// <summary>
/// An upload's work order cut into chunks of a fixed size. Chunk k is always the same rows (the order depends only on the
/// file), so chunk numbers can name the parts of the upload's budget reservation across restarts. Rows are built when a
/// chunk is sent, not all at once: a million rows as objects would take hundreds of megabytes.
/// </summary>
public sealed class UploadChunks
{
    private readonly List<UploadWorkOrder.Item> _order;
    private readonly string?[] _problems;
    private readonly BitArray _processed;

    public UploadChunks(List<UploadWorkOrder.Item> order, BitArray processed, int size)
    {
        _order = order;
        _processed = processed;
        Size = size;
        Count = (order.Count + size - 1) / size;
        _problems = new string?[order.Count];
        var firstOfBeneficiary = -1;
        for (var i = 0; i < order.Count; i++)
        {
            var problem = order[i].Problem;
            if (problem is null && firstOfBeneficiary >= 0 && order[i].SameBeneficiaryAs(order[firstOfBeneficiary]))
                problem = $"The beneficiary appears twice in the upload (first at row {order[firstOfBeneficiary].Row}).";
            else if (problem is null) firstOfBeneficiary = i;
            _problems[i] = problem;
        }
    }

    public int Size { get; }
    public int Count { get; }

    /// <summary>Chunks with a row not processed before a restart. Known by row, not by position: a job started by a version
    /// that issued rows in file order goes on here in beneficiary order.</summary>
    public List<int> Pending() => Enumerable.Range(0, Count).Where(k => Indexes(k).Any(i => !_processed[(int)_order[i].Row])).ToList();

    /// <summary>The chunk's rows not processed yet, each with the reason the ledger would refuse it, or null.</summary>
    public List<(GrantRow Row, string? Problem)> RowsOf(int chunk) => Indexes(chunk)
        .Where(i => !_processed[(int)_order[i].Row])
        .Select(i => (new GrantRow(_order[i].Row, _order[i].BeneficiaryHash, _order[i].AmountMinor, null), _problems[i]))
        .ToList();

    /// <summary>What the chunk's rows would issue if every one were new: processed rows included, so the figure does not
    /// change when the job resumes. Throws <see cref="OverflowException"/> past 64 bits.</summary>
    public long TotalOf(int chunk) => Indexes(chunk).Where(i => _problems[i] is null).Aggregate(0L, (sum, i) => checked(sum + _order[i].AmountMinor));

    private IEnumerable<int> Indexes(int chunk) => Enumerable.Range(chunk * Size, Math.Min(Size, _order.Count - chunk * Size));
}
