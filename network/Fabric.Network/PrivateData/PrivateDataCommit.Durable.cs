using Google.Protobuf;

namespace Fabric.Network.PrivateData;

/// <summary>
/// The durable side of <see cref="PrivateDataCommit"/>: one <see cref="PrivateDataStore"/> per member organisation
/// in the ledger directory. Private write sets taken at commit are written, and flushed, before their block; at
/// open the ledger replays the blocks and each organisation's copies come back from its own file; then records of
/// purged, expired or overwritten values are removed from the files.
/// </summary>
public sealed partial class PrivateDataCommit : IDisposable
{
    private readonly Dictionary<string, PrivateDataStore> _stores = new(StringComparer.Ordinal);
    private readonly List<(string MspId, StoredPrivateWrites Writes)> _pending = new();

    /// <summary>Bytes cut off the organisations' private data files at open (torn tails, records of lost blocks).</summary>
    public long RecoveredTornBytes => _stores.Values.Sum(s => s.TruncatedBytes);

    /// <summary>The folder of the private data files under a ledger directory.</summary>
    public static string Directory(string ledgerDirectory) => Path.Combine(ledgerDirectory, "private");

    /// <summary>Opens each organisation's private data file in <paramref name="ledgerDirectory"/>, against a block store of <paramref name="blockHeight"/> blocks.</summary>
    public void Open(string ledgerDirectory, ulong blockHeight)
    {
        foreach (var msp in peerMspIds)
        {
            if (msp.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || msp.StartsWith('.'))
                throw new InvalidDataException($"MSP id '{msp}' cannot name a private data file.");
            _stores[msp] = PrivateDataStore.Open(Path.Combine(Directory(ledgerDirectory), $"{msp}.dat"), blockHeight);
        }
    }

    /// <summary>
    /// The blocks are replayed (purges and blockToLive expiry applied as at commit): each file keeps what Fabric's private
    /// data store still holds at <paramref name="height"/>, every write set until its blockToLive passes, without the
    /// writes of keys purged since. A later write of the same key does not remove an earlier one.
    /// </summary>
    public void ReplayDone(ulong height)
    {
        foreach (var store in _stores.Values) store.ReplayDone(record => Retained(record, height));
    }

    /// <summary>Writes, durably, the private data that block <paramref name="blockNum"/> gave each organisation; called before the block is appended.</summary>
    public void Persist(ulong blockNum)
    {
        List<(string MspId, StoredPrivateWrites Writes)> due;
        lock (_lock)
        {
            due = _pending.Where(p => p.Writes.BlockNum == blockNum).ToList();
            _pending.Clear();
        }
        foreach (var group in due.GroupBy(p => p.MspId))
            if (_stores.TryGetValue(group.Key, out var store)) store.Append(group.Select(p => p.Writes).ToList());
    }

    public void Dispose()
    {
        foreach (var store in _stores.Values) store.Dispose();
    }

    private ByteString? Recovered(string mspId, Ledger.Version version, string chaincode, string collection) =>
        _stores.TryGetValue(mspId, out var store) ? store.Recovered(version.BlockNum, version.TxNum, chaincode, collection) : null;

    private void Queue(string mspId, StoredPrivateWrites writes)
    {
        if (_stores.Count == 0) return;
        lock (_lock) _pending.Add((mspId, writes));
    }
}
