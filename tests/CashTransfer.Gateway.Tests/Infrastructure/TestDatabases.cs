using CashTransfer.Gateway.Storage;
using Dapper;
using Npgsql;

namespace CashTransfer.Gateway.Tests.Infrastructure;

/// <summary>Fresh, migrated databases for storage tests: a SQLite file in a temp folder, or a new schema on the test PostgreSQL server.</summary>
public static class TestDatabases
{
    public static async Task<IDatabase> SqliteAsync()
    {
        var db = new SqliteDatabase(Path.Combine(TempFolder.Create(), "gateway.db"));
        await Migrator.MigrateAsync(db);
        return db;
    }

    public static async Task<IDatabase> PostgresAsync()
    {
        var db = new PostgresDatabase(await PostgresSchemaAsync());
        await Migrator.MigrateAsync(db);
        return db;
    }

    /// <summary>The connection string of a new, empty schema on the test PostgreSQL server (a service started on it migrates it).</summary>
    public static async Task<string> PostgresSchemaAsync()
    {
        var baseConnection = PostgresFactAttribute.ConnectionString ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set.");
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(baseConnection))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"CREATE SCHEMA {schema}");
        }
        return new NpgsqlConnectionStringBuilder(baseConnection) { SearchPath = schema }.ToString();
    }
}

/// <summary>Temporary folders under the system temp directory, one per test.</summary>
public static class TempFolder
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "cashtransfer-gateway-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
