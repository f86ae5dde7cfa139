using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Fabric.Network.Ledger;

/// <summary>
/// The record framing of the ledger's append-only files (blocks, private data): a 4-byte little-endian length, the
/// first 4 bytes of the SHA-256 of the body, then the body. Reading recognises a torn or corrupt record, so a crash in
/// the middle of an append costs only that record.
/// </summary>
internal static class ChecksummedRecord
{
    public const int HeaderSize = 8;

    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> body)
    {
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        SHA256.HashData(body)[..4].CopyTo(header[4..]);
    }

    public static byte[] Frame(ReadOnlySpan<byte> body)
    {
        var record = new byte[HeaderSize + body.Length];
        WriteHeader(record, body);
        body.CopyTo(record.AsSpan(HeaderSize));
        return record;
    }

    /// <summary>The body of the record at <paramref name="position"/>; null when it is torn, corrupt or past <paramref name="length"/>.</summary>
    public static byte[]? TryRead(FileStream file, long position, long length)
    {
        if (position + HeaderSize > length) return null;
        Span<byte> header = stackalloc byte[HeaderSize];
        file.Position = position;
        file.ReadExactly(header);
        int size = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (size < 0 || position + HeaderSize + size > length) return null;
        var body = new byte[size];
        file.ReadExactly(body);
        return SHA256.HashData(body).AsSpan(0, 4).SequenceEqual(header[4..]) ? body : null;
    }

    /// <summary>
    /// Cuts the file at <paramref name="validEnd"/>, the end of its last whole record, and makes the cut durable: what
    /// follows is a torn or corrupt tail. Returns how many bytes were dropped.
    /// </summary>
    public static long DropTail(FileStream file, long validEnd)
    {
        var dropped = file.Length - validEnd;
        if (dropped <= 0) return 0;
        file.SetLength(validEnd);
        file.Flush(flushToDisk: true);
        return dropped;
    }
}
