using CashTransfer.Api;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Storage;
using Dapper;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>What a retailer is still owed in one currency (unsettled payables).</summary>
public sealed record PayableTotal(string RetailerId, string Currency, long AmountMinor);

/// <summary>
/// The console's lists, read from the projection's tables: retailers, terminals, payable totals. Lists are
/// pages in id order; the bookmark is the last id of a full page (empty when there is no more).
/// </summary>
public sealed class ConsoleViews(IDatabase database)
{
    public const int MaxPageSize = 500;

    public static Task UpsertRetailerAsync(Session s, RetailerView r) => s.Connection.ExecuteAsync(
        "INSERT INTO retailer_view (retailer_id, registered_by, status) VALUES (@RetailerId, @RegisteredBy, @Status) " +
        "ON CONFLICT (retailer_id) DO UPDATE SET registered_by = excluded.registered_by, status = excluded.status", r, s.Transaction);

    public Task<Page<RetailerView>> ListRetailersAsync(string after, int pageSize, CancellationToken ct) => PageAsync<RetailerView>(
        "SELECT retailer_id AS RetailerId, registered_by AS RegisteredBy, status AS Status FROM retailer_view " +
        "WHERE retailer_id > @after ORDER BY retailer_id LIMIT @limit",
        new { after, limit = Clamp(pageSize) }, Clamp(pageSize), r => r.RetailerId, ct);

    public Task<Page<TerminalView>> ListTerminalsAsync(string? retailerId, string after, int pageSize, CancellationToken ct) => PageAsync<TerminalView>(
        "SELECT terminal_id AS TerminalId, retailer_id AS RetailerId, status AS Status, key_version AS KeyVersion, agency_msp AS AgencyMsp FROM terminals " +
        "WHERE (@retailerId IS NULL OR retailer_id = @retailerId) AND terminal_id > @after ORDER BY terminal_id LIMIT @limit",
        new { retailerId, after, limit = Clamp(pageSize) }, Clamp(pageSize), t => t.TerminalId, ct);

    /// <summary>Unsettled payables of these retailers, summed per retailer and currency.</summary>
    public async Task<IReadOnlyList<PayableTotal>> PayableTotalsAsync(IReadOnlyList<string> retailerIds, CancellationToken ct)
    {
        if (retailerIds.Count == 0) return [];
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string RetailerId, string Currency, long AmountMinor)>(
            $"SELECT retailer_id, currency, SUM(amount_minor) FROM payable_view WHERE {database.InList("retailer_id", "ids")} GROUP BY retailer_id, currency",
            new { ids = retailerIds.ToArray() });
        return rows.Select(r => new PayableTotal(r.RetailerId, r.Currency, r.AmountMinor)).ToList();
    }

    private async Task<Page<T>> PageAsync<T>(string sql, object parameters, int limit, Func<T, string> idOf, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var items = (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
        return new Page<T>(items, items.Count == limit ? idOf(items[^1]) : "");
    }

    public static int Clamp(int pageSize) => Math.Clamp(pageSize, 1, MaxPageSize);
}
