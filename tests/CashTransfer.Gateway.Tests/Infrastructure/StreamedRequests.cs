using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using CashTransfer.Api.Signing;
using CashTransfer.Api.Client;

namespace CashTransfer.Gateway.Tests.Infrastructure;

/// <summary>
/// Requests whose body is streamed rather than held in memory (SigningHandler reads the whole body to hash it): the
/// test signs the body's hash itself and announces it in <see cref="RequestSignature.ContentHashHeader"/>.
/// </summary>
public static class StreamedRequests
{
    public static HttpRequestMessage Signed(string path, string keyId, IP256Signer signer, byte[] bodySha256, HttpContent content, string contentType,
        string? idempotencyKey = null, bool announceHash = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        var key = idempotencyKey ?? Guid.NewGuid().ToString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        request.Headers.Add(RequestSignature.IdempotencyKeyHeader, key);
        request.Headers.Add(RequestSignature.KeyIdHeader, keyId);
        request.Headers.Add(RequestSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(RequestSignature.SignatureHeader,
            Convert.ToBase64String(signer.Sign(RequestSignature.CanonicalBytes("POST", "/" + path, timestamp, key, bodySha256))));
        if (announceHash) request.Headers.Add(RequestSignature.ContentHashHeader, Convert.ToHexStringLower(bodySha256));
        return request;
    }
}

/// <summary>
/// A body that is produced as it is read, counting the bytes the server took. It sends <c>sendFirst</c> bytes, then
/// waits for <see cref="Release"/> (or the request's end) before it sends the rest.
/// </summary>
public sealed class CountingContent(byte[]? body, long length, long sendFirst = long.MaxValue) : HttpContent
{
    private long _sent;

    public CountingContent(byte[] body, long sendFirst = long.MaxValue) : this(body, body.Length, sendFirst) { }

    /// <summary>A body of <paramref name="length"/> bytes of 'a', made as it is sent.</summary>
    public CountingContent(long length) : this(body: null, length: length) { }

    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>Completes once the first part has been handed to the transport.</summary>
    public TaskCompletionSource FirstPartSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken ct)
    {
        const int piece = 16 * 1024;
        var filler = Enumerable.Repeat((byte)'a', piece).ToArray();
        for (long offset = 0; offset < length; offset += piece)
        {
            if (offset >= sendFirst && !FirstPartSent.Task.IsCompleted)
            {
                FirstPartSent.TrySetResult();
                await Release.Task.WaitAsync(ct);
            }
            var count = (int)Math.Min(piece, length - offset);
            await stream.WriteAsync(body is null ? filler.AsMemory(0, count) : body.AsMemory((int)offset, count), ct);
            await stream.FlushAsync(ct);
            Interlocked.Add(ref _sent, count);
        }
        FirstPartSent.TrySetResult();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long computed)
    {
        computed = length;
        return true;
    }
}
