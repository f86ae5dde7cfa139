namespace Fabric.Client;

/// <summary>A position in the event stream to resume from.</summary>
public interface ICheckpoint
{
    /// <summary>The block to resume at; null when nothing was checkpointed yet.</summary>
    ulong? BlockNumber { get; }

    /// <summary>The last transaction processed within <see cref="BlockNumber"/>; events up to and including it are skipped.</summary>
    string? TransactionId { get; }
}

/// <summary>Records how far event processing got, so that a restarted listener neither skips nor repeats events.</summary>
public interface ICheckpointer : ICheckpoint
{
    /// <summary>The whole block was processed: resume at the next one.</summary>
    Task CheckpointBlockAsync(ulong blockNumber, CancellationToken cancellationToken = default);

    /// <summary>Everything up to and including this transaction in this block was processed.</summary>
    Task CheckpointTransactionAsync(ulong blockNumber, string transactionId, CancellationToken cancellationToken = default);

    /// <summary>The event was processed (checkpoints its transaction).</summary>
    Task CheckpointChaincodeEventAsync(ChaincodeEvent chaincodeEvent, CancellationToken cancellationToken = default);
}
