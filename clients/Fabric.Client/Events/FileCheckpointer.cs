using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabric.Client;

/// <summary>
/// A checkpointer persisted to a JSON file <c>{"blockNumber": N, "transactionId": "..."}</c> that survives a crash:
/// each checkpoint is written to a temporary file in the same folder, flushed to disk, then renamed over the
/// checkpoint file (an atomic replace), so the file always holds either the old or the new position, never a torn one.
/// </summary>
/// <example><code>
/// var checkpointer = await FileCheckpointer.OpenAsync("/var/lib/cashtransfer/events.json");
/// </code></example>
public sealed class FileCheckpointer : ICheckpointer
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // fabric-gateway's Node checkpointer writes the block number as a string; read both forms.
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private State _state = new();

    private FileCheckpointer(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    public ulong? BlockNumber => _state.BlockNumber;
    public string? TransactionId => _state.TransactionId;

    /// <summary>Opens (or creates) the checkpoint file and loads its position.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a checkpoint; it is left untouched.</exception>
    public static async Task<FileCheckpointer> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var checkpointer = new FileCheckpointer(path);
        if (File.Exists(checkpointer.Path))
        {
            var text = await File.ReadAllTextAsync(checkpointer.Path, cancellationToken);
            if (!string.IsNullOrWhiteSpace(text))
            {
                try
                {
                    checkpointer._state = JsonSerializer.Deserialize<State>(text, Json) ?? new State();
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"The checkpoint file {checkpointer.Path} is not valid checkpoint JSON: {e.Message}", e);
                }
            }
        }
        else
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(checkpointer.Path)!);
            await checkpointer.SaveAsync(checkpointer._state, cancellationToken);
        }
        return checkpointer;
    }

    public Task CheckpointBlockAsync(ulong blockNumber, CancellationToken cancellationToken = default) =>
        SaveAsync(new State { BlockNumber = blockNumber + 1 }, cancellationToken);

    public Task CheckpointTransactionAsync(ulong blockNumber, string transactionId, CancellationToken cancellationToken = default) =>
        SaveAsync(new State { BlockNumber = blockNumber, TransactionId = transactionId }, cancellationToken);

    public Task CheckpointChaincodeEventAsync(ChaincodeEvent chaincodeEvent, CancellationToken cancellationToken = default) =>
        CheckpointTransactionAsync(chaincodeEvent.BlockNumber, chaincodeEvent.TransactionId, cancellationToken);

    private async Task SaveAsync(State state, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var temp = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    await JsonSerializer.SerializeAsync(stream, state, Json, cancellationToken);
                    await stream.FlushAsync(cancellationToken);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, Path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
            _state = state;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private sealed record State
    {
        public ulong? BlockNumber { get; init; }
        public string? TransactionId { get; init; }
    }
}
