using Fabric.Grpc.Tests.Support;
using Fabric.Grpc.Wire;
using Google.Protobuf;
using Protos;

namespace Fabric.Grpc.Tests.Wire;

public sealed class MessageReaderTests
{
    private static readonly ChaincodeMessage Sample = EchoService.Message("tx", new string('q', 3000));

    [Fact]
    public async Task Reads_consecutive_frames_then_the_end()
    {
        var stream = new MemoryStream([.. MessageFrame.ToArray(Sample, int.MaxValue), .. MessageFrame.ToArray(Sample, int.MaxValue)]);
        var reader = new MessageReader(stream, 4096, null, StatusCode.Internal);

        Assert.Equal(Sample, (await reader.ReadAsync(ChaincodeMessage.Parser, default)).Message);
        Assert.Equal(Sample, (await reader.ReadAsync(ChaincodeMessage.Parser, default)).Message);
        Assert.False((await reader.ReadAsync(ChaincodeMessage.Parser, default)).HasMessage);
    }

    [Fact]
    public async Task Decodes_gzip_when_the_call_says_gzip()
    {
        var frame = RawGrpcRequest.Frame(1, MalformedRequestTests.Gzip(Sample.ToByteArray()));
        var reader = new MessageReader(new MemoryStream(frame), 4096, "gzip", StatusCode.Internal);

        Assert.Equal(Sample, (await reader.ReadAsync(ChaincodeMessage.Parser, default)).Message);
    }

    [Fact]
    public async Task Unknown_encoding_gets_the_sides_status()
    {
        var frame = RawGrpcRequest.Frame(1, MalformedRequestTests.Gzip(Sample.ToByteArray()));
        var reader = new MessageReader(new MemoryStream(frame), 4096, "br", StatusCode.Internal);

        var error = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(ChaincodeMessage.Parser, default).AsTask());
        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public async Task Decompressed_size_is_limited_too()
    {
        var frame = RawGrpcRequest.Frame(1, MalformedRequestTests.Gzip(Sample.ToByteArray()));
        var reader = new MessageReader(new MemoryStream(frame), 1000, "gzip", StatusCode.Internal);

        var error = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(ChaincodeMessage.Parser, default).AsTask());
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Length_prefix_is_checked_before_the_payload_is_read()
    {
        var stream = new HeaderOnlyStream(RawGrpcRequest.Frame(0, [], declaredLength: uint.MaxValue));
        var reader = new MessageReader(stream, int.MaxValue, null, StatusCode.Internal);

        var error = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(ChaincodeMessage.Parser, default).AsTask());

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    /// <summary>Gives the 5 header bytes, then fails the test if anyone asks for more.</summary>
    private sealed class HeaderOnlyStream(byte[] header) : MemoryStream(header)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= 5 ? throw new InvalidOperationException("payload read before the length check") : base.ReadAsync(buffer, cancellationToken);
    }
}
