using Grpc.Core;
using Fabric.Grpc;
using Fabric.Grpc.Client;
using Fabric.Grpc.Tests.Support;
using Protos;

namespace Fabric.Grpc.Tests.Interop;

/// <summary>Our client against @grpc/grpc-js servers, over h2c, TLS and mutual TLS.</summary>
public sealed class CSharpClientToGrpcJsServerTests(GrpcJsServerFixture node) : IClassFixture<GrpcJsServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);


    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Unary(TransportMode mode)
    {
        using var channel = node.Channel(mode);

        var reply = await channel.UnaryAsync(EchoService.Unary, EchoService.Message("tx1", "payload"), new CallOptions(headers: new Metadata { { "x-test", "from-dotnet" } }));

        Assert.Equal("tx1", reply.Txid);
        Assert.Equal("payload", reply.Payload.ToStringUtf8());
        Assert.Equal("from-dotnet", reply.Proposal.Signature.ToStringUtf8());
        Assert.Equal(mode == TransportMode.MutualTls ? "CN=client.test" : "", reply.Proposal.ProposalBytes.ToStringUtf8());
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Server_streaming(TransportMode mode)
    {
        using var channel = node.Channel(mode);

        var txids = await channel.ServerStreaming(EchoService.ServerStream, EchoService.Message("s", count: 5)).Select(m => m.Txid).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"s-{i}"), txids);
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Duplex_ping_pong_does_not_wait_for_headers_grpc_js_sends_late(TransportMode mode)
    {
        using var channel = node.Channel(mode);
        await using var call = channel.Duplex(EchoService.Duplex, FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(20)));
        await using var responses = call.Responses.GetAsyncEnumerator();

        for (var i = 0; i < 5; i++)
        {
            await call.WriteAsync(EchoService.Message($"p{i}"));
            Assert.True(await responses.MoveNextAsync());
            Assert.Equal($"p{i}", responses.Current.Txid);
        }
        await call.CompleteAsync();
        Assert.False(await responses.MoveNextAsync());
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Duplex_many_writes_then_read(TransportMode mode)
    {
        using var channel = node.Channel(mode);
        await using var call = channel.Duplex(EchoService.Duplex, FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(20)));

        for (var i = 0; i < 10; i++) await call.WriteAsync(EchoService.Message($"m{i}"));
        await call.CompleteAsync();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}"), await call.Responses.Select(m => m.Txid).ToListAsync());
    }

    // The deadline and cancellation tests wait for a first message, so grpc-js's handler has surely started.
    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Deadline_is_exceeded_and_grpc_js_sees_the_call_end(TransportMode mode)
    {
        using var channel = node.Channel(mode);
        var txid = $"hang:deadline-{mode}";
        var received = 0;

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in channel.ServerStreaming(EchoService.ServerStream, EchoService.Message(txid, count: 1), FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(2))))
                received++;
        });

        Assert.Equal(1, received);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await node.Server(mode).WaitForLineAsync($"CANCELLED {txid}", Patience);
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Client_cancellation_reaches_grpc_js(TransportMode mode)
    {
        using var channel = node.Channel(mode);
        var txid = $"hang:cancel-{mode}";
        using var cancellation = new CancellationTokenSource();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in channel.ServerStreaming(EchoService.ServerStream, EchoService.Message(txid, count: 1), new CallOptions(cancellationToken: cancellation.Token)))
                await cancellation.CancelAsync();
        });

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await node.Server(mode).WaitForLineAsync($"CANCELLED {txid}", Patience);
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Duplex_cancellation_reaches_grpc_js(TransportMode mode)
    {
        using var channel = node.Channel(mode);
        await using var call = channel.Duplex(EchoService.Duplex);
        await call.WriteAsync(EchoService.Message("first"));
        await using var responses = call.Responses.GetAsyncEnumerator();
        Assert.True(await responses.MoveNextAsync());

        call.Cancel();

        await node.Server(mode).WaitForLineAsync("CANCELLED stream", Patience);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await responses.MoveNextAsync());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Server_side_cancellation_is_cancelled(TransportMode mode)
    {
        using var channel = node.Channel(mode);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("cancel")));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Status_message_with_non_ascii_and_percent_signs(TransportMode mode)
    {
        using var channel = node.Channel(mode);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("fail:9:Ungültig: 100% — ☃ %41")));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("Ungültig: 100% — ☃ %41", error.Status.Detail);
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Status_details_from_grpc_js_are_decoded(TransportMode mode)
    {
        using var channel = node.Channel(mode);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("details:10:failed to endorse")));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.NotNull(error.GetStatusDetails());
        Assert.Equal(10, error.GetStatusDetails()!.Code);
        Assert.Equal("failed to endorse", error.GetStatusDetails()!.Message);
        var detail = error.GetStatusDetails()!.Details.Single().Unpack<Gateway.ErrorDetail>();
        Assert.Equal(("peer0.org1:7051", "Org1MSP", "chaincode said no"), (detail.Address, detail.MspId, detail.Message));
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Unknown_method_is_unimplemented(TransportMode mode)
    {
        using var channel = node.Channel(mode);
        var missing = ProtobufMethod.Create(MethodType.Unary, EchoService.Name, "Missing", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(missing, EchoService.Message("x")));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Size_limits_on_both_sides(TransportMode mode)
    {
        using var channel = node.Channel(mode);
        using var small = node.Channel(mode, new FabricChannelOptions { MaxReceiveMessageSize = 1024 });

        var tooBigForServer = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("big", new string('a', 5 * 1024 * 1024))));
        var tooBigForClient = await Assert.ThrowsAsync<RpcException>(() => small.UnaryAsync(EchoService.Unary, EchoService.Message("big", new string('a', 2000))));

        Assert.Equal(StatusCode.ResourceExhausted, tooBigForServer.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, tooBigForClient.StatusCode);
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Hundred_concurrent_calls(TransportMode mode)
    {
        using var channel = node.Channel(mode);

        var replies = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => channel.UnaryAsync(EchoService.Unary, EchoService.Message($"c{i}"))));

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"c{i}"), replies.Select(r => r.Txid));
    }
}
