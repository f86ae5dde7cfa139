using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CashTransfer.Gateway.Storage;

/// <summary>Ready when the database answers and the schema is in place (the outbox can take receipts).</summary>
public sealed class DatabaseHealthCheck(IDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE 1 = 0");
            return HealthCheckResult.Healthy($"{database.Provider} database ready");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"{database.Provider} database not ready: {e.Message}");
        }
    }
}
