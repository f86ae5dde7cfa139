using System.Globalization;
using System.Security.Cryptography;
using CashTransfer.Api.Signing;

namespace CashTransfer.Api.Client;

/// <summary>
/// An HttpClient handler that signs every request (see <see cref="RequestSignature"/>) with the client's key.
/// <see cref="CashTransferClient"/> puts one in front of its connection; use it alone for a raw HttpClient.
/// </summary>
/// <example><code>
/// var http = new HttpClient(new SigningHandler("terminal/T-001", signer) { InnerHandler = new SocketsHttpHandler() })
///     { BaseAddress = new Uri("https://gateway.example") };
/// </code></example>
public sealed class SigningHandler(string keyId, IP256Signer signer, TimeProvider? clock = null) : DelegatingHandler
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var bodyHash = request.Content switch
        {
            null => SHA256.HashData([]),
            HashedStreamContent streamed => await streamed.Sha256Async(cancellationToken), // hashed from its source, not buffered
            var content => SHA256.HashData(await content.ReadAsByteArrayAsync(cancellationToken)),
        };
        var timestamp = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var idempotencyKey = request.Headers.TryGetValues(RequestSignature.IdempotencyKeyHeader, out var values) ? values.FirstOrDefault() : null;
        var canonical = RequestSignature.CanonicalBytes(request.Method.Method, request.RequestUri!.PathAndQuery, timestamp, idempotencyKey, bodyHash);
        foreach (var header in new[] { RequestSignature.KeyIdHeader, RequestSignature.TimestampHeader, RequestSignature.SignatureHeader, RequestSignature.ContentHashHeader })
            request.Headers.Remove(header);
        request.Headers.Add(RequestSignature.ContentHashHeader, Convert.ToHexStringLower(bodyHash));
        request.Headers.Add(RequestSignature.KeyIdHeader, keyId);
        request.Headers.Add(RequestSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(RequestSignature.SignatureHeader, Convert.ToBase64String(signer.Sign(canonical)));
        return await base.SendAsync(request, cancellationToken);
    }
}
