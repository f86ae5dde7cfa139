using System.Threading.Channels;
using Dapper;

namespace CashTransfer.Gateway.Storage;

/// <summary>
/// Writes many small statements in one database transaction (group commit). The submitter stores two durable moves per
/// receipt, each of which the receipt waits for; one at a time through SQLite's single writer, every receipt paid for
/// the fsyncs of all the others queued before it (the gateway benchmark's profile). Here the statements that arrive
/// while a transaction commits go together into the next one: each caller still returns only once its statement is
/// durable. If the shared transaction fails, each statement is tried again alone, so that one bad statement fails only
/// its own caller.
/// The groups are written on a thread of their own, not on the thread pool: SQLite's calls block their thread until
/// the commit's fsync returns, and back to back they kept one of the pool's few threads (two cores, two at the start)
/// from the endorsements and commit notifications waiting behind it. The thread ends after <see cref="IdleTime"/>
/// without statements and starts again with the next one.
/// </summary>
public sealed class GroupCommit(IDatabase database)
{
    private const int MaxStatements = 256;
    /// <summary>How long the writer thread waits for another statement before it ends.</summary>
    public static readonly TimeSpan IdleTime = TimeSpan.FromMilliseconds(200);
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private int _writing;

    private sealed record Pending(string Sql, object Parameters, TaskCompletionSource<int> Done);

    /// <summary>Runs the statement in the next group's transaction; returns its affected rows once that transaction committed.</summary>
    public Task<int> ExecuteAsync(string sql, object parameters, CancellationToken ct)
    {
        var pending = new Pending(sql, parameters, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Writer.TryWrite(pending);
        if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
            new Thread(WriteGroups) { IsBackground = true, Name = "Group commit" }.Start();
        return pending.Done.Task.WaitAsync(ct);
    }

    private void WriteGroups()
    {
        while (true)
        {
            var group = new List<Pending>();
            while (group.Count < MaxStatements && _queue.Reader.TryRead(out var next)) group.Add(next);
            if (group.Count > 0)
            {
                // SQLite completes these calls on this thread; PostgreSQL's I/O waits here, off the pool, as well.
                CommitAsync(group).GetAwaiter().GetResult();
                continue;
            }
            if (_queue.Reader.WaitToReadAsync().AsTask().Wait(IdleTime)) continue;
            Volatile.Write(ref _writing, 0);
            // A statement queued after the last read and before the flag was cleared would otherwise wait forever.
            if (_queue.Reader.TryPeek(out _) && Interlocked.CompareExchange(ref _writing, 1, 0) == 0) continue;
            return;
        }
    }

    private async Task CommitAsync(List<Pending> group)
    {
        try
        {
            await using var session = await database.BeginAsync();
            var affected = new int[group.Count];
            for (var i = 0; i < group.Count; i++)
                affected[i] = await session.Connection.ExecuteAsync(group[i].Sql, group[i].Parameters, session.Transaction);
            await session.CommitAsync();
            for (var i = 0; i < group.Count; i++) group[i].Done.TrySetResult(affected[i]);
        }
        catch (Exception) when (group.Count > 1)
        {
            foreach (var pending in group) await AloneAsync(pending);
        }
        catch (Exception e)
        {
            group[0].Done.TrySetException(e);
        }
    }

    private async Task AloneAsync(Pending pending)
    {
        try
        {
            await using var connection = await database.OpenAsync();
            pending.Done.TrySetResult(await connection.ExecuteAsync(pending.Sql, pending.Parameters));
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }
}
