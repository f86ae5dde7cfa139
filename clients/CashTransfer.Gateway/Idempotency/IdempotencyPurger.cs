using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Idempotency;

/// <summary>
/// Deletes Idempotency-Key records older than the retention period, every <see cref="IdempotencyOptions.PurgeInterval"/>,
/// so that the table does not grow without bound. Correctness does not depend on it: an expired record no longer
/// holds its key even before it is purged (see <see cref="IdempotencyRepository.TryClaimAsync"/>).
/// </summary>
public sealed partial class IdempotencyPurger(IdempotencyRepository records, IOptions<ServiceOptions> options, TimeProvider clock, ILogger<IdempotencyPurger> logger)
    : BackgroundService
{
    /// <summary>Purges every record that has expired by now; returns how many were deleted.</summary>
    public async Task<long> PurgeOnceAsync(CancellationToken ct = default)
    {
        var o = options.Value.Idempotency;
        var cutoff = clock.GetUtcNow() - o.Retention;
        var batch = Math.Max(1, o.PurgeBatchSize);
        long total = 0;
        int deleted;
        do
        {
            deleted = await records.PurgeExpiredAsync(cutoff, batch, ct);
            total += deleted;
        } while (deleted == batch && !ct.IsCancellationRequested);
        if (total > 0) LogPurged(total, o.Retention);
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Idempotency.PurgeInterval, clock);
        do
        {
            try
            {
                await PurgeOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A busy or unreachable database: the next round tries again; expired keys are free meanwhile anyway.
                LogFailed(e);
            }
        } while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Information, "Purged {Count} idempotency records older than {Retention}")]
    private partial void LogPurged(long count, TimeSpan retention);

    [LoggerMessage(LogLevel.Warning, "Purging expired idempotency records failed; trying again at the next interval")]
    private partial void LogFailed(Exception error);
}
