namespace CashTransfer.Gateway.Storage;

/// <summary>Which database holds the outbox, idempotency records, journals and read models.</summary>
public enum StorageProvider { Sqlite, Postgres }

/// <summary>Storage settings (section <c>CashTransfer:Storage</c>).</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>PostgreSQL connection string; for SQLite, an optional file path (default: gateway.db in the data directory).</summary>
    public string? ConnectionString { get; set; }
}
