using System.Buffers.Binary;
using Common;
using Google.Protobuf;

namespace Fabric.Network.Ledger;

/// <summary>
/// An append-only file of blocks, each the serialized <c>common.Block</c> in a <see cref="ChecksummedRecord"/>. An append is flushed to disk
/// (fsync) before it returns, so a commit is reported only once it is durable. On open, a torn or
/// corrupt tail (a crash in the middle of an append) is cut off; every complete block before it is kept.
/// </summary>
public sealed class BlockStore : IDisposable
{
    private readonly FileStream _file;
    private readonly List<long> _offsets = new();
    private readonly Lock _lock = new();

    private BlockStore(FileStream file) => _file = file;

    public string Path => _file.Name;

    /// <summary>How many bytes of a torn tail were cut off when the store was opened.</summary>
    public long TruncatedBytes { get; private set; }

    public ulong Height
    {
        get { lock (_lock) return (ulong)_offsets.Count; }
    }

    public static BlockStore Open(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.RandomAccess);
        var store = new BlockStore(file);
        store.Recover();
        return store;
    }

    /// <summary>Appends the block; returns after the bytes are on disk. Its number must be the current height.</summary>
    public void Append(Block block)
    {
        var record = ChecksummedRecord.Frame(block.ToByteArray());
        lock (_lock)
        {
            if (block.Header.Number != (ulong)_offsets.Count)
                throw new InvalidOperationException($"block {block.Header.Number} cannot follow height {_offsets.Count}.");
            long offset = _file.Length;
            _file.Position = offset;
            _file.Write(record);
            _file.Flush(flushToDisk: true);
            _offsets.Add(offset);
        }
    }

    public Block Read(ulong number)
    {
        lock (_lock)
        {
            if (number >= (ulong)_offsets.Count) throw new ArgumentOutOfRangeException(nameof(number), $"block {number} does not exist (height {_offsets.Count}).");
            _file.Position = _offsets[(int)number];
            Span<byte> header = stackalloc byte[ChecksummedRecord.HeaderSize];
            _file.ReadExactly(header);
            var bytes = new byte[BinaryPrimitives.ReadInt32LittleEndian(header)];
            _file.ReadExactly(bytes);
            return Block.Parser.ParseFrom(bytes);
        }
    }

    public void Dispose() => _file.Dispose();

    private void Recover()
    {
        long position = 0, length = _file.Length;
        while (ChecksummedRecord.TryRead(_file, position, length) is { } bytes)
        {
            Block block;
            try { block = Block.Parser.ParseFrom(bytes); }
            catch (InvalidProtocolBufferException) { break; }
            if (block.Header?.Number != (ulong)_offsets.Count) break;
            _offsets.Add(position);
            position += ChecksummedRecord.HeaderSize + bytes.Length;
        }
        TruncatedBytes = ChecksummedRecord.DropTail(_file, position);
    }
}
