using System.Data.Common;
using Npgsql;

namespace CashTransfer.Gateway.Storage;

/// <summary>PostgreSQL through Npgsql's pooled data source.</summary>
public sealed class PostgresDatabase(string connectionString) : IDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public StorageProvider Provider => StorageProvider.Postgres;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default) => await _dataSource.OpenConnectionAsync(ct);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
