using Fabric.Grpc.Client;
using Fabric.Grpc.Server;
using Fabric.Grpc.Tests.Support;
using Grpc.Core;
using Protos;

namespace Fabric.Grpc.Tests;

/// <summary>
/// A server that speaks first (a chaincode sends REGISTER as soon as the peer opens the stream, before the peer
/// has written anything), as a peer's duplex call to a chaincode-as-a-service server meets it.
/// </summary>
public sealed class ServerSpeaksFirstTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static GrpcServiceDefinition RegisteringServer() => new GrpcServiceDefinition()
        .AddDuplex(EchoService.Duplex, async (requests, responses, context) =>
        {
            await responses.WriteAsync(EchoService.Message("register"), context.CancellationToken);
            await foreach (var request in requests.WithCancellation(context.CancellationToken))
                await responses.WriteAsync(EchoService.Message("got:" + request.Txid), context.CancellationToken);
        });

    [Fact]
    public async Task The_servers_first_message_arrives_before_the_client_writes_and_the_call_goes_on()
    {
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), RegisteringServer());
        using var channel = Loopback.H2c(server);
        await using var call = channel.Duplex(EchoService.Duplex);
        var responses = call.Responses.GetAsyncEnumerator();

        Assert.True(await responses.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("register", responses.Current.Txid);

        await call.WriteAsync(EchoService.Message("registered"));
        Assert.True(await responses.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("got:registered", responses.Current.Txid);
        await call.CompleteAsync();
        Assert.False(await responses.MoveNextAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Concurrent_writes_on_one_call_are_queued_and_all_arrive()
    {
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), RegisteringServer());
        using var channel = Loopback.H2c(server);
        await using var call = channel.Duplex(EchoService.Duplex);
        var responses = call.Responses.GetAsyncEnumerator();
        Assert.True(await responses.MoveNextAsync().AsTask().WaitAsync(Patience));

        // Grpc.Net.Client refuses a write while another is pending; a peer answering concurrent transactions writes like this.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => call.WriteAsync(EchoService.Message($"m{i}")))));
        await call.CompleteAsync();

        var received = new HashSet<string>();
        while (await responses.MoveNextAsync().AsTask().WaitAsync(Patience)) received.Add(responses.Current.Txid);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"got:m{i}").ToHashSet(), received);
    }

    [Fact]
    public async Task A_server_that_refuses_the_stream_ends_writes_with_its_status()
    {
        var definition = new GrpcServiceDefinition().AddDuplex(EchoService.Duplex, (requests, responses, context) =>
            throw RpcErrors.Create(StatusCode.PermissionDenied, "not a registered peer"));
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), definition);
        using var channel = Loopback.H2c(server);
        await using var call = channel.Duplex(EchoService.Duplex);

        var error = await Assert.ThrowsAsync<RpcException>(async () => { await foreach (var _ in call.Responses) { } });
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        var writeError = await Record.ExceptionAsync(() => call.WriteAsync(EchoService.Message("x")).WaitAsync(Patience));
        Assert.NotNull(writeError); // the call has ended: a write cannot pretend to succeed
    }
}
