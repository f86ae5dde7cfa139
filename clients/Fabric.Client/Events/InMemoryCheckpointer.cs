namespace Fabric.Client;

/// <summary>A checkpointer that lives as long as the process: for retrying a stream after a connection failure.</summary>
public sealed class InMemoryCheckpointer : ICheckpointer
{
    private readonly Lock _lock = new();
    private ulong? _blockNumber;
    private string? _transactionId;

    public ulong? BlockNumber { get { lock (_lock) return _blockNumber; } }
    public string? TransactionId { get { lock (_lock) return _transactionId; } }

    public Task CheckpointBlockAsync(ulong blockNumber, CancellationToken cancellationToken = default)
    {
        lock (_lock) (_blockNumber, _transactionId) = (blockNumber + 1, null);
        return Task.CompletedTask;
    }

    public Task CheckpointTransactionAsync(ulong blockNumber, string transactionId, CancellationToken cancellationToken = default)
    {
        lock (_lock) (_blockNumber, _transactionId) = (blockNumber, transactionId);
        return Task.CompletedTask;
    }

    public Task CheckpointChaincodeEventAsync(ChaincodeEvent chaincodeEvent, CancellationToken cancellationToken = default) =>
        CheckpointTransactionAsync(chaincodeEvent.BlockNumber, chaincodeEvent.TransactionId, cancellationToken);
}
