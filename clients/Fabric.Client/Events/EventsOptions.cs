namespace Fabric.Client;

/// <summary>
/// Where an event stream starts. A checkpoint wins over <see cref="StartBlock"/>; with neither, the stream starts at
/// the next block to be committed.
/// </summary>
/// <example><code>
/// var checkpointer = await FileCheckpointer.OpenAsync("events.checkpoint.json");
/// await foreach (var e in network.GetChaincodeEventsAsync("basic", new EventsOptions { StartBlock = 0, Checkpoint = checkpointer }))
/// {
///     await ProcessAsync(e);
///     await checkpointer.CheckpointChaincodeEventAsync(e);
/// }
/// </code></example>
public sealed class EventsOptions
{
    /// <summary>First block to read when no checkpoint position exists.</summary>
    public ulong? StartBlock { get; init; }

    /// <summary>Resume position: its block, and for chaincode events the last transaction already processed in it.</summary>
    public ICheckpoint? Checkpoint { get; init; }

    /// <summary>Deadline for the whole stream; the gateway's default (none) when null.</summary>
    public TimeSpan? Timeout { get; init; }

    internal Orderer.SeekPosition StartPosition()
    {
        var start = Checkpoint?.BlockNumber ?? StartBlock;
        return start is { } number
            ? new Orderer.SeekPosition { Specified = new Orderer.SeekSpecified { Number = number } }
            : NextCommit();
    }

    /// <summary>
    /// <c>SeekPosition{next_commit: SeekNextCommit{}}</c> (field 4, an empty message). The generated code comes from
    /// an older fabric-protos snapshot without that field, so it is built from its wire bytes and kept as an
    /// unknown field, which protobuf preserves when the message is serialized again.
    /// </summary>
    internal static Orderer.SeekPosition NextCommit() => Orderer.SeekPosition.Parser.ParseFrom(NextCommitBytes);

    internal static readonly byte[] NextCommitBytes = [0x22, 0x00];
}
