using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Projection;

/// <summary>
/// Listens to the chaincode's events from the stored checkpoint and applies each one, with the checkpoint that
/// names it, in one database transaction. After a crash or a dropped stream it starts again after the last applied
/// event: no event is missed and none is applied twice. Every instance on one database may project: an event another
/// instance applied first ends this stream, which starts again from the checkpoint.
/// </summary>
public sealed class EventProjector(
    IDatabase database,
    ProjectionRepository views,
    EventApplier applier,
    ILedgerGateway ledger,
    IOptions<ServiceOptions> options,
    GatewayMetrics metrics,
    ILogger<EventProjector> logger) : BackgroundService
{
    /// <summary>The checkpoint after the last applied event (for readiness and tests).</summary>
    public ProjectionCheckpoint? Position { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Projection.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                break; // stopping: the stream's cancellation may surface as a gRPC CANCELLED, which is no failure
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Event stream ended at {Block}/{TxId}; resuming from the checkpoint", Position?.BlockNumber, Position?.TxId);
            }
            try { await Task.Delay(options.Value.Projection.RestartDelay, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Reads events from the checkpoint until the stream ends or is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        Position = await views.GetCheckpointAsync(ct: ct);
        var caller = LedgerCaller.For(ClientRole.Terminal, options.Value.AgencyMsp);
        await foreach (var e in ledger.ListenAsync(caller, Position, ct))
        {
            await using var session = await database.BeginAsync(ct);
            var checkpoint = new ProjectionCheckpoint(e.BlockNumber, e.TxId);
            if (!await views.TryAdvanceCheckpointAsync(session, Position, checkpoint))
            {
                // Another instance on this database applied the event first: carry on from where it got to.
                logger.LogDebug("Event {TxId} in block {Block} was projected by another instance; resuming from the checkpoint", e.TxId, e.BlockNumber);
                return;
            }
            await applier.ApplyAsync(session, e);
            await session.CommitAsync(ct);
            Position = checkpoint;
            metrics.EventApplied(e.EventName);
        }
    }
}
