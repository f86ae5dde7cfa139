using System.Data.Common;

namespace CashTransfer.Gateway.Storage;

/// <summary>
/// The gateway's database: SQLite or PostgreSQL behind one schema. Repositories use the same SQL on both; the
/// only differences are spelled out here.
/// </summary>
public interface IDatabase
{
    StorageProvider Provider { get; }

    /// <summary>Opens a connection ready for use (pragmas applied).</summary>
    Task<DbConnection> OpenAsync(CancellationToken ct = default);

    /// <summary>Row lock for a read inside a transaction (PostgreSQL); SQLite's write transaction already locks the database.</summary>
    string ForUpdate => Provider == StorageProvider.Postgres ? " FOR UPDATE" : "";

    /// <summary>
    /// Row lock that passes over rows another transaction holds (PostgreSQL), so that several service instances claiming
    /// at once take different rows; SQLite has one writer at a time anyway.
    /// </summary>
    string ForUpdateSkipLocked => Provider == StorageProvider.Postgres ? " FOR UPDATE SKIP LOCKED" : "";

    /// <summary>
    /// <paramref name="column"/> is one of the values of the array parameter <paramref name="parameter"/>. Dapper expands
    /// a list into one parameter per value for SQLite, but hands it to PostgreSQL as one array, which <c>IN</c> cannot take.
    /// </summary>
    string InList(string column, string parameter) => Provider == StorageProvider.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>Opens a connection and starts a transaction that will write (SQLite: BEGIN IMMEDIATE).</summary>
    async Task<Session> BeginAsync(CancellationToken ct = default)
    {
        var connection = await OpenAsync(ct);
        try
        {
            return new Session(connection, await connection.BeginTransactionAsync(ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A connection with an open transaction; disposing without <see cref="CommitAsync"/> rolls back.</summary>
public sealed class Session(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;

    public Task CommitAsync(CancellationToken ct = default) => Transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
