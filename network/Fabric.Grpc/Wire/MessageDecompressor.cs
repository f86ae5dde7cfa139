using System.IO.Compression;

namespace Fabric.Grpc.Wire;

/// <summary>Inflates messages whose compressed flag is set, by the <c>grpc-encoding</c> of the call, within the size limit.</summary>
internal static class MessageDecompressor
{
    public static ArraySegment<byte> Decompress(string? encoding, ReadOnlySpan<byte> compressed, int maxSize, StatusCode unsupportedStatus)
    {
        using var input = new MemoryStream(compressed.ToArray(), writable: false);
        using Stream inflater = encoding?.Trim().ToLowerInvariant() switch
        {
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            "deflate" => new ZLibStream(input, CompressionMode.Decompress),
            null or "" or "identity" => throw new RpcException(StatusCode.Internal, "Message has the compressed flag set but the call has no grpc-encoding"),
            _ => throw new RpcException(unsupportedStatus, $"Unsupported grpc-encoding '{encoding}': supported are {GrpcProtocol.SupportedEncodings}"),
        };
        using var output = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = inflater.Read(chunk)) > 0)
            {
                if (output.Length + read > maxSize)
                    throw new RpcException(StatusCode.ResourceExhausted, $"Received decompressed message larger than max ({maxSize})");
                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new RpcException(StatusCode.Internal, $"Corrupt {encoding} message: {e.Message}", inner: e);
        }
        return new ArraySegment<byte>(output.GetBuffer(), 0, (int)output.Length);
    }
}
