using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CashTransfer.Gateway.Storage;

/// <summary>
/// SQLite in a file: WAL journal (readers never block the writer) and synchronous=FULL, so that a receipt batch
/// is on disk when its upload is acknowledged. Concurrent writers wait (busy timeout) rather than fail.
/// </summary>
public sealed class SqliteDatabase : IDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    public string Path { get; }

    public StorageProvider Provider => StorageProvider.Sqlite;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
        await command.ExecuteNonQueryAsync(ct);
        return connection;
    }
}
