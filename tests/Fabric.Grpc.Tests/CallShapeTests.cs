using Fabric.Grpc.Client;
using Grpc.Core;
using Fabric.Grpc;
using Fabric.Grpc.Tests.Support;
using Google.Protobuf;
using Protos;

namespace Fabric.Grpc.Tests;

/// <summary>Unary, server-streaming and bidirectional calls, C# client against C# server over h2c.</summary>
public sealed class CallShapeTests
{
    [Fact]
    public async Task Unary_call_returns_the_servers_reply_with_metadata_seen()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server);
        var headers = new Metadata { { "x-test", "hello" } };

        var reply = await channel.UnaryAsync(EchoService.Unary, EchoService.Message("tx1", "payload"), new CallOptions(headers: headers));

        Assert.Equal("tx1", reply.Txid);
        Assert.Equal("payload", reply.Payload.ToStringUtf8());
        Assert.Equal("hello", reply.Proposal.Signature.ToStringUtf8());
    }

    [Fact]
    public async Task Unary_call_carries_a_large_message_both_ways()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server);
        var payload = new string('x', 3 * 1024 * 1024);

        var reply = await channel.UnaryAsync(EchoService.Unary, EchoService.Message("big", payload));

        Assert.Equal(payload.Length, reply.Payload.Length);
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_in_order()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server);

        var received = new List<string>();
        await foreach (var message in channel.ServerStreaming(EchoService.ServerStream, EchoService.Message("s", "p", count: 50)))
            received.Add(message.Txid);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"s-{i}"), received);
    }

    [Fact]
    public async Task Server_streaming_with_no_messages_ends_cleanly()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server);

        var received = await channel.ServerStreaming(EchoService.ServerStream, EchoService.Message("s", count: 0)).ToListAsync();

        Assert.Empty(received);
    }

    [Fact]
    public async Task Duplex_echoes_each_message_as_it_is_written()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server);
        await using var call = channel.Duplex(EchoService.Duplex);
        await using var responses = call.Responses.GetAsyncEnumerator();

        for (var i = 0; i < 20; i++)
        {
            await call.WriteAsync(EchoService.Message($"m{i}"));
            Assert.True(await responses.MoveNextAsync());
            Assert.Equal($"m{i}", responses.Current.Txid);
        }
        await call.CompleteAsync();
        Assert.False(await responses.MoveNextAsync());
    }

    [Fact]
    public async Task Duplex_writes_do_not_wait_for_response_headers()
    {
        // The server reads every request before it writes anything (as grpc-js sends headers only with its
        // first message): a client whose writes waited for the response headers would hang here.
        var definition = new Server.GrpcServiceDefinition().AddDuplex(EchoService.Duplex, async (requests, responses, context) =>
        {
            var all = new List<ChaincodeMessage>();
            await foreach (var request in requests) all.Add(request);
            foreach (var request in all) await responses.WriteAsync(request);
        });
        await using var server = await Server.GrpcServer.StartAsync(new Server.GrpcServerOptions(), definition);
        using var channel = Loopback.H2c(server);
        await using var call = channel.Duplex(EchoService.Duplex, FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(20)));

        for (var i = 0; i < 5; i++) await call.WriteAsync(EchoService.Message($"m{i}"));
        await call.CompleteAsync();
        var received = await call.Responses.Select(m => m.Txid).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"m{i}"), received);
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server);
        var missing = ProtobufMethod.Create(MethodType.Unary, EchoService.Name, "Missing", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(missing, EchoService.Message("x")));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Contains("unimplemented", error.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Writing_to_a_duplex_call_that_ended_reports_how_it_ended()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server);
        var missing = ProtobufMethod.Create(MethodType.DuplexStreaming, EchoService.Name, "MissingDuplex", ChaincodeMessage.Parser, ChaincodeMessage.Parser);
        await using var call = channel.Duplex(missing);

        var ended = await Assert.ThrowsAsync<RpcException>(async () => await call.Responses.ToListAsync());
        var write = await Assert.ThrowsAsync<RpcException>(() => call.WriteAsync(EchoService.Message("late")));

        Assert.Equal(StatusCode.Unimplemented, ended.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, write.StatusCode);
    }

    [Fact]
    public async Task Handler_status_reaches_the_client()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("fail:5:no such entitlement")));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such entitlement", error.Status.Detail);
    }

    [Fact]
    public async Task Unreachable_server_is_unavailable()
    {
        int port;
        await using (var server = await Loopback.StartAsync()) port = server.Port;
        using var channel = Grpc.Client.FabricChannel.Create(new Uri($"http://127.0.0.1:{port}"));

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x")));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
