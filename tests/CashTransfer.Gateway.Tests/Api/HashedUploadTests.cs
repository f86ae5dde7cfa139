using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>
/// An entitlement upload is signed without holding the file in memory: the client hashes it from its source, then
/// streams it, and the gateway accepts the signature over what arrived.
/// </summary>
public sealed class HashedUploadTests : IAsyncDisposable
{
    private readonly GatewayFactory _f = new(background: false);

    public ValueTask DisposeAsync() => _f.DisposeAsync();

    [Fact]
    public async Task A_streamed_upload_is_hashed_from_its_source_and_accepted()
    {
        var csv = Encoding.UTF8.GetBytes("beneficiaryHash,amountMinor\n" +
            string.Concat(Enumerable.Range(0, 5_000).Select(i => $"{Beneficiaries.Numbered(i)},{100 + i}\n")));
        var source = new CountingSource(csv);
        using var http = _f.OperatorClient();
        var content = new HashedStreamContent(source.Open);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/operator/entitlement-uploads?programmeId=P-1&cycle=c1") { Content = content };
        request.Headers.Add(RequestSignature.IdempotencyKeyHeader, Guid.NewGuid().ToString("N"));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(csv)), request.Headers.GetValues(RequestSignature.ContentHashHeader).Single());
        // Read whole twice, once to hash and once to send: never buffered (a buffered body is read once).
        Assert.Equal(2, source.Opens);
        Assert.Equal(2L * csv.Length, source.BytesRead);
    }

    [Fact]
    public async Task A_source_that_changed_after_it_was_hashed_is_refused()
    {
        var original = Encoding.UTF8.GetBytes("beneficiaryHash,amountMinor\n" + new string('a', 64) + ",100\n");
        var changed = Encoding.UTF8.GetBytes("beneficiaryHash,amountMinor\n" + new string('b', 64) + ",900\n");
        var opens = 0;
        using var http = _f.OperatorClient();
        var content = new HashedStreamContent(() => new MemoryStream(Interlocked.Increment(ref opens) == 1 ? original : changed));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/operator/entitlement-uploads?programmeId=P-1&cycle=c1") { Content = content };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>A body source that counts how often it is opened and how many bytes are read from it.</summary>
    private sealed class CountingSource(byte[] bytes)
    {
        private long _bytesRead;
        private int _opens;

        public int Opens => _opens;
        public long BytesRead => Interlocked.Read(ref _bytesRead);

        public Stream Open()
        {
            Interlocked.Increment(ref _opens);
            return new Counted(new MemoryStream(bytes, writable: false), this);
        }

        private sealed class Counted(Stream inner, CountingSource owner) : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => Add(inner.Read(buffer, offset, count));
            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => Add(await inner.ReadAsync(buffer, ct));
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
            private int Add(int read) { Interlocked.Add(ref owner._bytesRead, read); return read; }
        }
    }
}
