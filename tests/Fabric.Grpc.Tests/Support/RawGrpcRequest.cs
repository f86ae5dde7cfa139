using System.Net;
using System.Net.Http.Headers;

namespace Fabric.Grpc.Tests.Support;

/// <summary>
/// Sends hand-made gRPC requests (any bytes, any headers) to test how the server treats what our own
/// client never sends: compressed or malformed frames, odd timeouts.
/// </summary>
public static class RawGrpcRequest
{
    public sealed record Outcome(int GrpcStatus, string? GrpcMessage, byte[] Body);

    public static Task<Outcome> SendAsync(int port, string path, byte[] body, params (string Name, string Value)[] headers) =>
        SendAsync(port, path, new ByteArrayContent(body), headers);

    /// <summary>A request whose body never ends (no message, no end of stream) until the response has ended.</summary>
    public static async Task<Outcome> SendOpenEndedAsync(int port, string path, params (string Name, string Value)[] headers)
    {
        using var open = new OpenEndedContent();
        return await SendAsync(port, path, open, headers);
    }

    private static async Task<Outcome> SendAsync(int port, string path, HttpContent content, (string Name, string Value)[] headers)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var invoker = new HttpMessageInvoker(handler);
        var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}{path}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await invoker.SendAsync(request, CancellationToken.None);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var source = response.Headers.Contains("grpc-status") ? (HttpHeaders)response.Headers : response.TrailingHeaders;
        return new Outcome(
            int.Parse(source.GetValues("grpc-status").Single(), System.Globalization.CultureInfo.InvariantCulture),
            source.TryGetValues("grpc-message", out var message) ? message.Single() : null,
            bytes);
    }

    /// <summary>A frame with the given flag and a length prefix that may lie about the payload.</summary>
    public static byte[] Frame(byte flag, byte[] payload, uint? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    private sealed class OpenEndedContent : HttpContent
    {
        private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.FlushAsync();
            await ended.Task;
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            ended.TrySetResult();
            base.Dispose(disposing);
        }
    }
}
