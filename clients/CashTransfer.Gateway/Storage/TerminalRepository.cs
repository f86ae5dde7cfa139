using Dapper;

namespace CashTransfer.Gateway.Storage;

/// <summary>A terminal as the gateway knows it: its retailer and the public key (PEM) that signs its receipts and requests.</summary>
public sealed class TerminalRecord
{
    public string TerminalId { get; set; } = "";
    public string RetailerId { get; set; } = "";
    public string PublicKeyPem { get; set; } = "";
    public long KeyVersion { get; set; }
    /// <summary>Active or Suspended, as on the ledger.</summary>
    public string Status { get; set; } = "Active";
    public string AgencyMsp { get; set; } = "";
    public long UpdatedAt { get; set; }
}

/// <summary>Registered terminals, kept from registrations made through the gateway and from TerminalUpdated events.</summary>
public sealed class TerminalRepository(IDatabase database)
{
    public async Task UpsertAsync(TerminalRecord t, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await UpsertAsync(connection, null, t);
    }

    internal static Task UpsertAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, TerminalRecord t) => connection.ExecuteAsync(
        "INSERT INTO terminals (terminal_id, retailer_id, public_key_pem, key_version, status, agency_msp, updated_at) " +
        "VALUES (@TerminalId, @RetailerId, @PublicKeyPem, @KeyVersion, @Status, @AgencyMsp, @UpdatedAt) " +
        "ON CONFLICT (terminal_id) DO UPDATE SET retailer_id = excluded.retailer_id, public_key_pem = excluded.public_key_pem, " +
        "key_version = excluded.key_version, status = excluded.status, agency_msp = excluded.agency_msp, updated_at = excluded.updated_at", t, transaction);

    public async Task<TerminalRecord?> FindAsync(string terminalId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TerminalRecord>(
            "SELECT terminal_id AS TerminalId, retailer_id AS RetailerId, public_key_pem AS PublicKeyPem, key_version AS KeyVersion, status AS Status, " +
            "agency_msp AS AgencyMsp, updated_at AS UpdatedAt FROM terminals WHERE terminal_id = @terminalId", new { terminalId });
    }
}
