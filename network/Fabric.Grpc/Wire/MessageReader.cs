using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace Fabric.Grpc.Wire;

/// <summary>One message read from a stream, or the end of the stream.</summary>
internal readonly record struct ReadResult<T>(bool HasMessage, T Message)
{
    public static readonly ReadResult<T> End = new(false, default!);
}

/// <summary>
/// Reads length-prefixed gRPC messages from a request or response body. The length prefix is checked
/// against the limit before a buffer is taken, so an oversized message costs nothing.
/// </summary>
internal sealed class MessageReader(Stream stream, int maxSize, string? encoding, StatusCode unsupportedEncodingStatus)
{
    private readonly byte[] header = new byte[MessageFrame.HeaderSize];

    public async ValueTask<ReadResult<T>> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        var headerRead = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (headerRead == 0) return ReadResult<T>.End;
        if (headerRead < header.Length)
            throw new RpcException(StatusCode.Internal, "Incomplete gRPC message header: the stream ended inside a frame");

        var compressed = header[0] switch
        {
            0 => false,
            1 => true,
            var flag => throw new RpcException(StatusCode.Internal, $"Invalid gRPC compressed flag {flag}: expected 0 or 1"),
        };
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > (uint)maxSize)
            throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {maxSize})");

        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            var read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, (int)length), (int)length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < length)
                throw new RpcException(StatusCode.Internal, $"Incomplete gRPC message: expected {length} bytes, the stream ended after {read}");
            var payload = compressed
                ? MessageDecompressor.Decompress(encoding, buffer.AsSpan(0, (int)length), maxSize, unsupportedEncodingStatus)
                : new ArraySegment<byte>(buffer, 0, (int)length);
            return new ReadResult<T>(true, Parse(parser, payload));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static T Parse<T>(MessageParser<T> parser, ArraySegment<byte> payload) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload.Array!, payload.Offset, payload.Count);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RpcException(StatusCode.Internal, $"Failed to parse {typeof(T).Name}: {e.Message}", inner: e);
        }
    }
}
