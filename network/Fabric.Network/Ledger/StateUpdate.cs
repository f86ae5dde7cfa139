using Google.Protobuf;

namespace Fabric.Network.Ledger;

/// <summary>
/// One key's state after a valid transaction: <see cref="NewValue"/> is null when the transaction deleted
/// it. <see cref="IsValueWrite"/> is false for a metadata-only change, which history does not record.
/// <see cref="IsPrivate"/> marks an organisation's private copy, which stays out of the commit hash.
/// </summary>
public sealed record StateUpdate(string Namespace, string Key, VersionedValue? NewValue, bool IsValueWrite, string TxId, bool IsPrivate = false);

/// <summary>The updates of one block, in transaction order; applied to the world state as a whole.</summary>
public sealed class UpdateBatch
{
    private readonly List<StateUpdate> _updates = new();
    private readonly Dictionary<(string, string), StateUpdate> _latest = new();

    public IReadOnlyList<StateUpdate> Updates => _updates;

    public void Add(StateUpdate update)
    {
        _updates.Add(update);
        _latest[(update.Namespace, update.Key)] = update;
    }

    /// <summary>The latest update of a key in this block, if an earlier transaction wrote it.</summary>
    public StateUpdate? Latest(string ns, string key) => _latest.GetValueOrDefault((ns, key));

    /// <summary>Keys of <paramref name="ns"/> written in this block (for phantom-read checks).</summary>
    public IEnumerable<StateUpdate> LatestIn(string ns) => _latest.Values.Where(u => u.Namespace == ns);

    /// <summary>
    /// A deterministic encoding of the updates, hashed into the block's COMMIT_HASH. Fabric hashes its own
    /// update-batch encoding, so commit hashes compare between this network's peers, not with Fabric's.
    /// </summary>
    public byte[] ToCommitHashBytes()
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            foreach (var u in _updates.Where(u => !u.IsPrivate))
            {
                output.WriteString(u.Namespace);
                output.WriteString(u.Key);
                output.WriteBool(u.NewValue is null);
                output.WriteBytes(u.NewValue?.Value ?? ByteString.Empty);
            }
        }
        return stream.ToArray();
    }
}
