using System.Data.Common;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;
using Dapper;

namespace CashTransfer.Gateway.Tests.Storage;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task Each_caller_gets_its_own_rows_and_a_bad_statement_fails_only_its_caller()
    {
        var db = new RecordingDatabase(await TestDatabases.SqliteAsync());
        await using (var c = await db.OpenAsync()) await c.ExecuteAsync("CREATE TABLE gc_test (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        await using (var c = await db.OpenAsync()) await c.ExecuteAsync("INSERT INTO gc_test (id, v) VALUES (0, 'taken')");
        var commits = new GroupCommit(db);

        var inserts = Enumerable.Range(1, 100).Select(i => commits.ExecuteAsync("INSERT INTO gc_test (id, v) VALUES (@Id, 'x')", new { Id = i }, CancellationToken.None)).ToList();
        var duplicate = commits.ExecuteAsync("INSERT INTO gc_test (id, v) VALUES (0, 'again')", new { }, CancellationToken.None);
        var update = commits.ExecuteAsync("UPDATE gc_test SET v = 'y' WHERE id <= 10", new { }, CancellationToken.None);

        Assert.All(await Task.WhenAll(inserts), rows => Assert.Equal(1, rows));
        await Assert.ThrowsAnyAsync<DbException>(() => duplicate);
        Assert.Equal(11, await update); // rows 0..10, whichever group it went with
        await using var check = await db.OpenAsync();
        Assert.Equal(101, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM gc_test"));
        Assert.Equal("y", await check.ExecuteScalarAsync<string>("SELECT v FROM gc_test WHERE id = 0"));
    }

    [Fact]
    public async Task Groups_are_written_off_the_thread_pool_by_a_thread_that_ends_when_idle()
    {
        var db = new RecordingDatabase(await TestDatabases.SqliteAsync());
        await using (var c = await db.OpenAsync()) await c.ExecuteAsync("CREATE TABLE gc_test (id INTEGER PRIMARY KEY)");
        db.Openers.Clear();
        var commits = new GroupCommit(db);

        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => commits.ExecuteAsync("INSERT INTO gc_test (id) VALUES (@Id)", new { Id = i }, CancellationToken.None)));
        var writers = db.Openers.ToArray();
        Assert.NotEmpty(writers);
        // SQLite blocks the calling thread for each commit's fsync: none of that may happen on a pool thread.
        Assert.All(writers, w => Assert.False(w.OnThreadPool, "a group was written on a thread-pool thread"));
        var writer = writers[0].Thread;

        // Once idle, the writer thread ends (no thread left behind per service); the next statement starts another.
        var deadline = DateTime.UtcNow + GroupCommit.IdleTime + TimeSpan.FromSeconds(10);
        while (writer.IsAlive && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.False(writer.IsAlive, "the group-commit thread did not end after its idle time");
        Assert.Equal(1, await commits.ExecuteAsync("INSERT INTO gc_test (id) VALUES (21)", new { }, CancellationToken.None));
        await using var check = await db.OpenAsync();
        Assert.Equal(21, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM gc_test"));
    }
}
