using System.Collections.Concurrent;
using System.Data.Common;
using CashTransfer.Gateway.Storage;

namespace CashTransfer.Gateway.Tests.Infrastructure;

/// <summary>
/// A database that records the thread opening each connection (one per transaction of a writer), and whether it was a
/// thread-pool thread, read then: a thread's state can no longer be read once it has ended.
/// </summary>
public sealed class RecordingDatabase(IDatabase inner) : IDatabase
{
    public ConcurrentQueue<(Thread Thread, bool OnThreadPool)> Openers { get; } = new();

    public StorageProvider Provider => inner.Provider;

    public Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        Openers.Enqueue((Thread.CurrentThread, Thread.CurrentThread.IsThreadPoolThread));
        return inner.OpenAsync(ct);
    }
}
