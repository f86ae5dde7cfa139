using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CashTransfer.Gateway.Submission;

/// <summary>
/// Reports the ledger circuit: degraded (not unhealthy) while it is open, because receipts are still taken into the
/// durable outbox and submitted once the ledger answers again.
/// </summary>
public sealed class LedgerHealthCheck(LedgerPipelines pipelines) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(pipelines.LedgerUnreachable
            ? HealthCheckResult.Degraded("The ledger is unreachable; receipts wait in the outbox")
            : HealthCheckResult.Healthy("The ledger circuit is closed"));
}
