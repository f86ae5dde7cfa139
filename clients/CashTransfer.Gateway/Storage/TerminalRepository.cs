using System.Text.Json;
using CashTransfer.Api;
using CashTransfer.Contracts;
using Dapper;

namespace CashTransfer.Gateway.Storage;

/// <summary>
/// A terminal as the gateway knows it: its retailer, the public key (PEM) that signs its requests and receipts now, and
/// the keys it replaced and the periods it was suspended (<see cref="KeyHistoryJson"/>), which intake judges receipts by.
/// </summary>
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
    /// <summary>The ledger's retired keys and suspension periods as JSON; null on a row projected before the service kept them.</summary>
    public string? KeyHistoryJson { get; set; }

    private sealed record StoredHistory(IReadOnlyList<RetiredKey>? RetiredKeys, IReadOnlyList<SuspensionPeriod>? Suspensions);

    /// <summary>The row for a terminal record the ledger answered or announced.</summary>
    public static TerminalRecord From(TerminalLedgerRecord t, DateTimeOffset now) => new()
    {
        TerminalId = t.TerminalId, RetailerId = t.RetailerId, PublicKeyPem = t.PublicKeyPem, KeyVersion = t.KeyVersion, Status = t.Status,
        AgencyMsp = t.RegisteredBy, UpdatedAt = now.ToUnixTimeMilliseconds(),
        KeyHistoryJson = JsonSerializer.Serialize(new StoredHistory(t.RetiredKeys ?? [], t.Suspensions ?? []), ApiJson.Options),
    };

    /// <summary>What <see cref="KeyInForceRule"/> judges this terminal's receipts against (empty lists when the row predates them).</summary>
    public TerminalKeyHistory KeyHistory()
    {
        var stored = KeyHistoryJson is null ? null : JsonSerializer.Deserialize<StoredHistory>(KeyHistoryJson, ApiJson.Options);
        return new TerminalKeyHistory(TerminalId, PublicKeyPem, checked((int)KeyVersion), Status != "Active", stored?.RetiredKeys ?? [], stored?.Suspensions ?? []);
    }
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
        "INSERT INTO terminals (terminal_id, retailer_id, public_key_pem, key_version, status, agency_msp, updated_at, key_history) " +
        "VALUES (@TerminalId, @RetailerId, @PublicKeyPem, @KeyVersion, @Status, @AgencyMsp, @UpdatedAt, @KeyHistoryJson) " +
        "ON CONFLICT (terminal_id) DO UPDATE SET retailer_id = excluded.retailer_id, public_key_pem = excluded.public_key_pem, " +
        "key_version = excluded.key_version, status = excluded.status, agency_msp = excluded.agency_msp, updated_at = excluded.updated_at, " +
        "key_history = excluded.key_history", t, transaction);

    public async Task<TerminalRecord?> FindAsync(string terminalId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TerminalRecord>(
            "SELECT terminal_id AS TerminalId, retailer_id AS RetailerId, public_key_pem AS PublicKeyPem, key_version AS KeyVersion, status AS Status, " +
            "agency_msp AS AgencyMsp, updated_at AS UpdatedAt, key_history AS KeyHistoryJson FROM terminals WHERE terminal_id = @terminalId", new { terminalId });
    }
}
