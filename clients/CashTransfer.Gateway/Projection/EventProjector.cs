using System.Threading.Channels;
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
    /// <summary>The most events applied in one database transaction.</summary>
    public const int MaxEventsPerTransaction = 500;

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

    /// <summary>
    /// Reads events from the checkpoint until the stream ends or is cancelled. The events that have arrived while the
    /// last transaction committed (a block's events come together) are applied in the next one, up to
    /// <see cref="MaxEventsPerTransaction"/>: one transaction per event made the projection an fsync'd SQLite commit
    /// for every transaction on the channel, competing with the outbox for the one writer. The transactions run on a
    /// thread of the projection's own, as the group commit's do: SQLite blocks its thread through each commit's fsync,
    /// about once a block, which on the thread pool held one of its few threads.
    /// </summary>
    public Task RunAsync(CancellationToken ct)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                Project(ct);
                ended.TrySetResult();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                ended.TrySetCanceled(ct);
            }
            catch (Exception e)
            {
                ended.TrySetException(e);
            }
        }) { IsBackground = true, Name = "Event projection" }.Start();
        return ended.Task;
    }

    /// <summary>The projection's loop; it waits on its own thread (SQLite completes its calls there synchronously anyway).</summary>
    private void Project(CancellationToken ct)
    {
        Position = views.GetCheckpointAsync(ct: ct).GetAwaiter().GetResult();
        var caller = LedgerCaller.For(ClientRole.Terminal, options.Value.AgencyMsp);
        var arrived = Channel.CreateBounded<LedgerEvent>(new BoundedChannelOptions(MaxEventsPerTransaction) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = ReadAsync(caller, Position, arrived.Writer, stop.Token);
        try
        {
            var batch = new List<LedgerEvent>(MaxEventsPerTransaction);
            // Throws what ended the stream (the channel is completed with it), as reading the stream here did.
            while (arrived.Reader.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
            {
                batch.Clear();
                while (batch.Count < MaxEventsPerTransaction && arrived.Reader.TryRead(out var e)) batch.Add(e);
                if (!ApplyAsync(batch, ct).GetAwaiter().GetResult()) return;
            }
        }
        finally
        {
            stop.Cancel();
            reading.GetAwaiter().GetResult();
        }
    }

    private async Task ReadAsync(LedgerCaller caller, ProjectionCheckpoint? after, ChannelWriter<LedgerEvent> arrived, CancellationToken ct)
    {
        Exception? ended = null;
        try
        {
            await foreach (var e in ledger.ListenAsync(caller, after, ct)) await arrived.WriteAsync(e, ct);
        }
        catch (Exception e)
        {
            ended = e;
        }
        arrived.TryComplete(ended);
    }

    /// <summary>Applies the events with the checkpoint of the last of them; false when another instance had moved the checkpoint.</summary>
    private async Task<bool> ApplyAsync(IReadOnlyList<LedgerEvent> batch, CancellationToken ct)
    {
        await using var session = await database.BeginAsync(ct);
        var checkpoint = new ProjectionCheckpoint(batch[^1].BlockNumber, batch[^1].TxId);
        if (!await views.TryAdvanceCheckpointAsync(session, Position, checkpoint))
        {
            // Another instance on this database applied these events first: carry on from where it got to.
            logger.LogDebug("Events up to {TxId} in block {Block} were projected by another instance; resuming from the checkpoint", checkpoint.TxId, checkpoint.BlockNumber);
            return false;
        }
        foreach (var e in batch) await applier.ApplyAsync(session, e);
        await session.CommitAsync(ct);
        Position = checkpoint;
        foreach (var e in batch) metrics.EventApplied(e.EventName);
        return true;
    }
}
