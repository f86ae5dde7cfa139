using System.Net;
using System.Security.Cryptography;

namespace CashTransfer.Api.Client;

/// <summary>
/// A request body read from a source that can be opened more than once (a file), signed without being held in memory:
/// <see cref="SigningHandler"/> asks for its SHA-256, which is computed by reading the source once, and the body is then
/// sent by reading it again. A 10^6-row entitlement upload (about 70 MB) would otherwise be buffered whole to be hashed.
/// If the source changes between the two reads, the gateway finds the body does not match the signed hash and refuses it.
/// </summary>
public sealed class HashedStreamContent(Func<Stream> open) : HttpContent
{
    private byte[]? _sha256;
    private long _length;

    /// <summary>The body's SHA-256 and length, read once from the source.</summary>
    public async Task<byte[]> Sha256Async(CancellationToken ct)
    {
        if (_sha256 is not null) return _sha256;
        await using var source = open();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81_920];
        long length = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }
        _length = length;
        return _sha256 = hash.GetHashAndReset();
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = open();
        await source.CopyToAsync(stream, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return _sha256 is not null;
    }
}
