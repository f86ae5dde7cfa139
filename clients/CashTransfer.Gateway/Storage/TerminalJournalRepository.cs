using CashTransfer.Api;
using CashTransfer.Contracts;
using Dapper;

namespace CashTransfer.Gateway.Storage;

/// <summary>The last receipt the gateway accepted from a terminal: its sequence number and hash.</summary>
public sealed record JournalPosition(string TerminalId, long LastSequence, string LastReceiptHash)
{
    /// <summary>A terminal that has sent nothing yet: the next receipt is sequence 1 after the genesis hash.</summary>
    public static JournalPosition Start(string terminalId) => new(terminalId, 0, ReceiptEncoding.GenesisHash);
}

/// <summary>Terminal journal positions and detected anomalies.</summary>
public sealed class TerminalJournalRepository(IDatabase database)
{
    /// <summary>Reads (and, on PostgreSQL, locks) a terminal's position inside the intake transaction.</summary>
    public async Task<JournalPosition> GetForUpdateAsync(Session session, string terminalId)
    {
        var row = await session.Connection.QuerySingleOrDefaultAsync<PositionRow>(
            $"SELECT last_sequence AS LastSequence, last_receipt_hash AS LastReceiptHash FROM terminal_journal WHERE terminal_id = @terminalId{database.ForUpdate}",
            new { terminalId }, session.Transaction);
        return row is null ? JournalPosition.Start(terminalId) : new JournalPosition(terminalId, row.LastSequence, row.LastReceiptHash);
    }

    public async Task<JournalPosition> GetAsync(string terminalId, CancellationToken ct = default)
    {
        await using var session = await database.BeginAsync(ct);
        return await GetForUpdateAsync(session, terminalId);
    }

    public Task SaveAsync(Session session, JournalPosition position, DateTimeOffset now) => session.Connection.ExecuteAsync(
        "INSERT INTO terminal_journal (terminal_id, last_sequence, last_receipt_hash, updated_at) VALUES (@TerminalId, @LastSequence, @LastReceiptHash, @now) " +
        "ON CONFLICT (terminal_id) DO UPDATE SET last_sequence = excluded.last_sequence, last_receipt_hash = excluded.last_receipt_hash, updated_at = excluded.updated_at",
        new { position.TerminalId, position.LastSequence, position.LastReceiptHash, now = now.ToUnixTimeMilliseconds() }, session.Transaction);

    public async Task AddAnomalyAsync(JournalAnomaly anomaly, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO journal_anomalies (anomaly_id, terminal_id, kind, expected_sequence, received_sequence, detail, detected_at) " +
            "VALUES (@AnomalyId, @TerminalId, @Kind, @ExpectedSequence, @ReceivedSequence, @Detail, @DetectedAt)", anomaly);
    }

    /// <summary>The latest anomalies, of one terminal or of all; with <paramref name="agencyMsp"/>, only of terminals that agency registered.</summary>
    public async Task<IReadOnlyList<JournalAnomaly>> ListAnomaliesAsync(string? terminalId, int limit, string? agencyMsp = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<JournalAnomaly>(
            "SELECT anomaly_id AS AnomalyId, terminal_id AS TerminalId, kind AS Kind, expected_sequence AS ExpectedSequence, received_sequence AS ReceivedSequence, " +
            "detail AS Detail, detected_at AS DetectedAt FROM journal_anomalies WHERE (@terminalId IS NULL OR terminal_id = @terminalId) " +
            "AND (@agencyMsp IS NULL OR terminal_id IN (SELECT terminal_id FROM terminals WHERE agency_msp = @agencyMsp)) ORDER BY detected_at DESC LIMIT @limit",
            new { terminalId, agencyMsp, limit })).AsList();
    }

    private sealed class PositionRow
    {
        public long LastSequence { get; set; }
        public string LastReceiptHash { get; set; } = "";
    }
}
