using System.IO.Compression;
using Fabric.Grpc.Tests.Support;
using Google.Protobuf;
using Protos;

namespace Fabric.Grpc.Tests;

/// <summary>What the server does with frames our client never sends: compressed, malformed, truncated.</summary>
public sealed class MalformedRequestTests
{
    private static readonly byte[] Request = EchoService.Message("compressed", new string('z', 5000)).ToByteArray();

    [Fact]
    public async Task Gzip_compressed_request_is_decoded()
    {
        await using var server = await Loopback.StartAsync();

        var outcome = await RawGrpcRequest.SendAsync(server.Port, EchoService.Unary.FullName, RawGrpcRequest.Frame(1, Gzip(Request)), ("grpc-encoding", "gzip"));

        Assert.Equal(0, outcome.GrpcStatus);
        var reply = ChaincodeMessage.Parser.ParseFrom(outcome.Body.AsSpan(5).ToArray());
        Assert.Equal("compressed", reply.Txid);
        Assert.Equal(5000, reply.Payload.Length);
    }

    [Fact]
    public async Task Unknown_encoding_is_unimplemented()
    {
        await using var server = await Loopback.StartAsync();

        var outcome = await RawGrpcRequest.SendAsync(server.Port, EchoService.Unary.FullName, RawGrpcRequest.Frame(1, Gzip(Request)), ("grpc-encoding", "snappy"));

        Assert.Equal((int)StatusCode.Unimplemented, outcome.GrpcStatus);
    }

    [Fact]
    public async Task Compressed_flag_without_an_encoding_is_internal()
    {
        await using var server = await Loopback.StartAsync();

        var outcome = await RawGrpcRequest.SendAsync(server.Port, EchoService.Unary.FullName, RawGrpcRequest.Frame(1, Gzip(Request)));

        Assert.Equal((int)StatusCode.Internal, outcome.GrpcStatus);
    }

    [Theory]
    [InlineData("bad flag")]
    [InlineData("truncated")]
    [InlineData("not protobuf")]
    public async Task Malformed_frames_are_internal(string kind)
    {
        await using var server = await Loopback.StartAsync();
        var frame = kind switch
        {
            "bad flag" => RawGrpcRequest.Frame(2, Request),
            "truncated" => RawGrpcRequest.Frame(0, Request, declaredLength: (uint)Request.Length + 10),
            _ => RawGrpcRequest.Frame(0, [0xFF, 0xFF, 0xFF]),
        };

        var outcome = await RawGrpcRequest.SendAsync(server.Port, EchoService.Unary.FullName, frame);

        Assert.Equal((int)StatusCode.Internal, outcome.GrpcStatus);
    }

    [Fact]
    public async Task Oversized_length_prefix_is_refused_without_waiting_for_the_payload()
    {
        await using var server = await Loopback.StartAsync();

        // Declares 3 GiB and sends 3 bytes: a server that allocated or waited for the payload would fail otherwise.
        var outcome = await RawGrpcRequest.SendAsync(server.Port, EchoService.Unary.FullName, RawGrpcRequest.Frame(0, [1, 2, 3], declaredLength: 3u << 30));

        Assert.Equal((int)StatusCode.ResourceExhausted, outcome.GrpcStatus);
    }

    internal static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(data);
        return output.ToArray();
    }
}
