using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace Fabric.Grpc.Wire;

/// <summary>
/// Writes the gRPC length-prefixed message: one byte compressed flag (always 0 here), four bytes
/// big-endian length, then the protobuf bytes.
/// </summary>
internal static class MessageFrame
{
    public const int HeaderSize = 5;

    public static byte[] ToArray(IMessage message, int maxSize)
    {
        var size = CheckedSize(message, maxSize);
        var frame = new byte[HeaderSize + size];
        WriteHeader(frame, size);
        message.WriteTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    public static void Write(IBufferWriter<byte> writer, IMessage message, int maxSize)
    {
        var size = CheckedSize(message, maxSize);
        var span = writer.GetSpan(HeaderSize + size);
        WriteHeader(span, size);
        message.WriteTo(span.Slice(HeaderSize, size));
        writer.Advance(HeaderSize + size);
    }

    private static int CheckedSize(IMessage message, int maxSize)
    {
        var size = message.CalculateSize();
        if (size > maxSize)
            throw new RpcException(StatusCode.ResourceExhausted, $"Sending message larger than max ({size} vs. {maxSize})");
        return size;
    }

    private static void WriteHeader(Span<byte> destination, int size)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(1, 4), (uint)size);
    }
}
