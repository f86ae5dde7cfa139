using Fabric.Grpc.Client;
using Fabric.Grpc.Tests.Support;
using static Fabric.Grpc.Tests.Support.StreamRefusingServer;

namespace Fabric.Grpc.Tests;

/// <summary>
/// Streams a server turned away without processing them (a GOAWAY whose last stream id is below theirs, or
/// RST_STREAM REFUSED_STREAM), from a bare HTTP/2 endpoint that sends exactly those frames. SocketsHttpHandler itself
/// retries such a unary or server-streaming call on a new connection (up to three times); when every attempt is
/// refused, the call fails UNAVAILABLE, which callers may retry, not INTERNAL.
/// </summary>
public sealed class StreamRefusalTests
{
    [Theory]
    [InlineData("unary")]
    [InlineData("server streaming")]
    public async Task A_stream_refused_by_GOAWAY_NO_ERROR_is_retried_on_a_new_connection_by_SocketsHttpHandler(string kind)
    {
        await using var server = await Loopback.StartAsync();
        await using var refusing = new StreamRefusingServer(Refusal.GoAway, NoError, refusals: 1, upstreamPort: server.Port);
        using var channel = GrpcChannel.Create(new Uri($"http://127.0.0.1:{refusing.Port}"));

        var reply = await CallAsync(channel, kind);

        Assert.Equal("once", reply);
        Assert.Equal(1, refusing.Refused);
    }

    [Theory]
    [InlineData(Refusal.GoAway, NoError, "unary")]
    [InlineData(Refusal.GoAway, NoError, "server streaming")]
    [InlineData(Refusal.GoAway, NoError, "duplex")]
    [InlineData(Refusal.RstStream, RefusedStream, "unary")]
    [InlineData(Refusal.RstStream, RefusedStream, "server streaming")]
    [InlineData(Refusal.RstStream, RefusedStream, "duplex")]
    public async Task A_server_that_refuses_every_stream_fails_the_call_UNAVAILABLE(Refusal refusal, uint errorCode, string kind)
    {
        await using var refusing = new StreamRefusingServer(refusal, errorCode, refusals: int.MaxValue, upstreamPort: null);
        using var channel = GrpcChannel.Create(new Uri($"http://127.0.0.1:{refusing.Port}"));

        var e = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, kind));

        Assert.True(e.StatusCode == StatusCode.Unavailable, e.ToString());
        Assert.True(refusing.Refused >= 1);
    }

    [Fact]
    public async Task A_stream_reset_with_INTERNAL_ERROR_stays_INTERNAL()
    {
        await using var refusing = new StreamRefusingServer(Refusal.RstStream, InternalError, refusals: int.MaxValue, upstreamPort: null);
        using var channel = GrpcChannel.Create(new Uri($"http://127.0.0.1:{refusing.Port}"));

        var e = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, "unary"));

        Assert.Equal(StatusCode.Internal, e.StatusCode);
    }

    /// <summary>One call of the given kind with a 10 s deadline; returns the txid of the first reply.</summary>
    private static async Task<string> CallAsync(GrpcChannel channel, string kind)
    {
        var options = CallOptions.WithTimeout(TimeSpan.FromSeconds(10));
        switch (kind)
        {
            case "unary":
                return (await channel.UnaryAsync(EchoService.Unary, EchoService.Message("once"), options)).Txid;
            case "server streaming":
                await foreach (var reply in channel.ServerStreaming(EchoService.ServerStream, EchoService.Message("once", count: 1), options))
                    return reply.Txid[..^"-0".Length];
                throw new InvalidOperationException("The server stream ended without a reply.");
            default:
                await using (var call = channel.Duplex(EchoService.Duplex, options))
                {
                    await call.WriteAsync(EchoService.Message("once"));
                    await call.CompleteAsync();
                    await foreach (var reply in call.Responses) return reply.Txid;
                }
                throw new InvalidOperationException("The duplex call ended without a reply.");
        }
    }
}
