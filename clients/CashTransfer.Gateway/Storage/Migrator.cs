using System.Reflection;
using Dapper;

namespace CashTransfer.Gateway.Storage;

/// <summary>
/// Applies the plain-SQL migrations embedded in this assembly (Storage/Migrations/NNNN_name.sql) in name order,
/// each in its own transaction, and records them in <c>schema_migrations</c>. Runs at start; safe to run again.
/// </summary>
public static class Migrator
{
    public static async Task<IReadOnlyList<string>> MigrateAsync(IDatabase database, CancellationToken ct = default)
    {
        // Under the lock too: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent one (both may
        // pass the check, and the second fails on pg_type's unique index), as three instances started at once showed.
        await using (var session = await database.BeginAsync(ct))
        {
            await OneInstanceAtATimeAsync(database, session);
            await session.Connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
                transaction: session.Transaction);
            await session.CommitAsync(ct);
        }
        var applied = new List<string>();
        foreach (var (version, sql) in Scripts())
        {
            await using var session = await database.BeginAsync(ct);
            await OneInstanceAtATimeAsync(database, session);
            var done = await session.Connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, session.Transaction);
            if (done > 0) continue;
            await session.Connection.ExecuteAsync(sql, transaction: session.Transaction);
            await session.Connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @now)",
                new { version, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, session.Transaction);
            await session.CommitAsync(ct);
            applied.Add(version);
        }
        return applied;
    }

    /// <summary>
    /// Several instances may start at once on one PostgreSQL database: one migrates, the others wait and then skip.
    /// SQLite's write transaction (BEGIN IMMEDIATE) already admits one writer at a time.
    /// </summary>
    private static Task OneInstanceAtATimeAsync(IDatabase database, Session session) => database.Provider == StorageProvider.Postgres
        ? session.Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(4242001)", transaction: session.Transaction)
        : Task.CompletedTask;

    /// <summary>The versions of the embedded migrations, in the order they are applied.</summary>
    public static IReadOnlyList<string> Versions => Scripts().Select(s => s.Version).ToList();

    private static IEnumerable<(string Version, string Sql)> Scripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "CashTransfer.Gateway.Storage.Migrations.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }
}
