namespace Fabric.Client.EmbeddedTests.Support;

/// <summary>
/// Makes an MVCC read conflict happen on purpose, without timing: the first transaction that runs
/// <see cref="TestContract.IncrementGated"/> is held between its read and its write (on both endorsing peers)
/// until the test has committed another increment of the same key; later transactions pass straight through.
/// </summary>
public sealed class ConflictMaker : IDisposable
{
    private readonly TestNetwork _net;
    private readonly string _key;
    private readonly TaskCompletionSource _bothHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _seen = [];
    private readonly Lock _lock = new();
    private int _held;

    public ConflictMaker(TestNetwork net, string key)
    {
        _net = net;
        _key = key;
        net.Contract.AfterRead = HoldFirstTransactionAsync;
    }

    /// <summary>The transaction that was held (and read the old version).</summary>
    public string? FirstTransactionId { get { lock (_lock) return _seen.FirstOrDefault(); } }

    /// <summary>Distinct transaction ids that ran IncrementGated, in order.</summary>
    public IReadOnlyList<string> TransactionIds { get { lock (_lock) return [.. _seen]; } }

    /// <summary>
    /// Arguments for IncrementGated on the key, endorsed by two named agencies: the gateway then runs both
    /// endorsements at once, so both read before the interfering commit.
    /// </summary>
    public ProposalOptions Options() =>
        new ProposalOptions().AddArguments(_key).WithEndorsingOrganizations(_net.Peer(0).MspId, _net.Peer(1).MspId);

    /// <summary>Waits until both endorsements of the first transaction have read, commits a plain Increment, then lets them go on.</summary>
    public async Task CommitInterferingIncrementAsync()
    {
        await _bothHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await _net.KvContract(_net.Gateway()).SubmitTransactionAsync("Increment", _key);
        _release.TrySetResult();
    }

    private async Task HoldFirstTransactionAsync(string transactionId)
    {
        lock (_lock)
        {
            if (!_seen.Contains(transactionId)) _seen.Add(transactionId);
            if (_seen[0] != transactionId) return;
        }
        if (Interlocked.Increment(ref _held) == 2) _bothHeld.TrySetResult();
        await _release.Task;
    }

    public void Dispose()
    {
        _release.TrySetResult();
        _net.Contract.AfterRead = null;
    }
}
