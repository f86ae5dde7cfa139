using Fabric.Network.Ledger;
using Google.Protobuf;

namespace Fabric.Network.PrivateData;

/// <summary>One committed private write set as an organisation's peer keeps it: where it was committed and its KVRWSet bytes.</summary>
public sealed record StoredPrivateWrites(ulong BlockNum, ulong TxNum, string Chaincode, string Collection, ByteString Rwset);

/// <summary>
/// An organisation's durable private data (Fabric's pvtdata store, simplified): an append-only file of the private
/// write sets its peer committed, each with its block and transaction number, in <see cref="ChecksummedRecord"/>s
/// as the block store frames blocks. Records of a block are flushed to disk
/// (fsync) before the block itself is appended, so on open a torn or corrupt tail is cut off, and so are records
/// of blocks the block store does not hold (a crash between the two appends). The ledger replays the records
/// with the blocks, so purges and blockToLive expiry apply to them as they did at commit.
/// </summary>
public sealed class PrivateDataStore : IDisposable
{
    private FileStream _file;
    private readonly Dictionary<(ulong BlockNum, ulong TxNum, string Chaincode, string Collection), ByteString> _recovered = new();
    private readonly List<StoredPrivateWrites> _recoveredInOrder = new();
    // Where each block's records are in the file, so that a block's private data can be read back (Deliver).
    private readonly Dictionary<ulong, List<(long Offset, int Length)>> _recordsByBlock = new();
    private readonly Lock _lock = new();

    private PrivateDataStore(FileStream file) => _file = file;

    /// <summary>How many bytes were cut off at open (a torn tail, or records of blocks not in the block store).</summary>
    public long TruncatedBytes { get; private set; }

    /// <summary>How many records were read back at open.</summary>
    public int RecoveredCount => _recovered.Count;

    /// <summary>Opens (or creates) the file, keeping only whole records of blocks below <paramref name="blockHeight"/>.</summary>
    public static PrivateDataStore Open(string path, ulong blockHeight)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.RandomAccess);
        var store = new PrivateDataStore(file);
        store.Recover(blockHeight);
        return store;
    }

    /// <summary>Appends the write sets of one block; returns after the bytes are on disk.</summary>
    public void Append(IReadOnlyList<StoredPrivateWrites> writes)
    {
        if (writes.Count == 0) return;
        lock (_lock)
        {
            var start = _file.Length;
            var records = EncodeRecords(writes, start);
            _file.Position = start;
            _file.Write(records);
            _file.Flush(flushToDisk: true);
        }
    }

    /// <summary>The records of block <paramref name="blockNum"/> still in the file, in the order they were written.</summary>
    public IReadOnlyList<StoredPrivateWrites> ReadBlock(ulong blockNum)
    {
        lock (_lock)
        {
            if (!_recordsByBlock.TryGetValue(blockNum, out var places)) return [];
            var records = new List<StoredPrivateWrites>(places.Count);
            foreach (var (offset, length) in places)
                if (ChecksummedRecord.TryRead(_file, offset, offset + length) is { } body && Decode(body) is { } record)
                    records.Add(record);
            return records;
        }
    }

    /// <summary>The write set recovered at open for a collection of transaction (<paramref name="blockNum"/>, <paramref name="txNum"/>).</summary>
    public ByteString? Recovered(ulong blockNum, ulong txNum, string chaincode, string collection) =>
        _recovered.GetValueOrDefault((blockNum, txNum, chaincode, collection));

    /// <summary>
    /// The ledger has replayed its blocks. Each record is kept as <paramref name="retained"/> says (the same, a copy
    /// with fewer writes, or null to remove it), so that purged and expired data leaves the disk; replaying what
    /// remains rebuilds the same state. The file is replaced by a rename, after the new one is on disk. Returns how many
    /// records were removed or rewritten.
    /// </summary>
    public int ReplayDone(Func<StoredPrivateWrites, StoredPrivateWrites?> retained)
    {
        var kept = _recoveredInOrder.Select(r => (Old: r, New: retained(r))).ToList();
        int changed = kept.Count(k => !ReferenceEquals(k.Old, k.New));
        var live = kept.Where(k => k.New is not null).Select(k => k.New!).ToList();
        _recovered.Clear();
        _recoveredInOrder.Clear();
        if (changed == 0) return 0;
        lock (_lock)
        {
            var path = _file.Name;
            var temporary = path + ".compacting";
            _recordsByBlock.Clear();
            using (var compacted = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                compacted.Write(EncodeRecords(live, 0));
                compacted.Flush(flushToDisk: true);
            }
            _file.Dispose();
            File.Move(temporary, path, overwrite: true);
            _file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.RandomAccess);
        }
        return changed;
    }

    public void Dispose() => _file.Dispose();

    // The framed records, indexed by block as if written at file offset start.
    private byte[] EncodeRecords(IEnumerable<StoredPrivateWrites> writes, long start)
    {
        using var buffer = new MemoryStream();
        foreach (var w in writes)
        {
            var frame = ChecksummedRecord.Frame(Encode(w));
            Index(w.BlockNum, start + buffer.Length, frame.Length);
            buffer.Write(frame);
        }
        return buffer.ToArray();
    }

    private void Index(ulong blockNum, long offset, int length)
    {
        if (!_recordsByBlock.TryGetValue(blockNum, out var places)) _recordsByBlock[blockNum] = places = [];
        places.Add((offset, length));
    }

    private static byte[] Encode(StoredPrivateWrites w)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            output.WriteUInt64(w.BlockNum);
            output.WriteUInt64(w.TxNum);
            output.WriteString(w.Chaincode);
            output.WriteString(w.Collection);
            output.WriteBytes(w.Rwset);
        }
        return stream.ToArray();
    }

    // Null when the body is not one whole record.
    private static StoredPrivateWrites? Decode(byte[] body)
    {
        try
        {
            var input = new CodedInputStream(body);
            var w = new StoredPrivateWrites(input.ReadUInt64(), input.ReadUInt64(), input.ReadString(), input.ReadString(), input.ReadBytes());
            return input.IsAtEnd ? w : null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private void Recover(ulong blockHeight)
    {
        long position = 0, length = _file.Length;
        while (ChecksummedRecord.TryRead(_file, position, length) is { } body)
        {
            // Written before its block: if the block never reached the block store, the record is dropped too.
            if (Decode(body) is not { } w || w.BlockNum >= blockHeight) break;
            _recovered[(w.BlockNum, w.TxNum, w.Chaincode, w.Collection)] = w.Rwset;
            _recoveredInOrder.Add(w);
            Index(w.BlockNum, position, ChecksummedRecord.HeaderSize + body.Length);
            position += ChecksummedRecord.HeaderSize + body.Length;
        }
        TruncatedBytes = ChecksummedRecord.DropTail(_file, position);
    }
}
