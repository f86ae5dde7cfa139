using System.Collections.Concurrent;
using System.Data.Common;
using CashTransfer.Gateway.Storage;

namespace CashTransfer.Gateway.Tests.Infrastructure;

/// <summary>A database that records the thread opening each connection (one per transaction of a writer).</summary>
public sealed class RecordingDatabase(IDatabase inner) : IDatabase
{
    public ConcurrentQueue<Thread> Openers { get; } = new();

    public StorageProvider Provider => inner.Provider;

    public Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        Openers.Enqueue(Thread.CurrentThread);
        return inner.OpenAsync(ct);
    }
}
