using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Grpc.Server;
using Fabric.Grpc.Tests.Support;

namespace Fabric.Grpc.Tests;

/// <summary>Message size limits on both sides, checked against the length prefix.</summary>
public sealed class SizeLimitTests
{
    [Fact]
    public async Task Server_rejects_a_request_over_its_limit()
    {
        await using var server = await Loopback.StartAsync(new GrpcServerOptions { MaxReceiveMessageSize = 1024 });
        using var channel = Loopback.H2c(server);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x", new string('a', 2000))));
        var fits = await channel.UnaryAsync(EchoService.Unary, EchoService.Message("y", new string('a', 900)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("y", fits.Txid);
    }

    [Fact]
    public async Task Client_rejects_a_response_over_its_limit()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server, new FabricChannelOptions { MaxReceiveMessageSize = 1024 });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x", new string('a', 2000))));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Client_refuses_to_send_over_its_send_limit()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server, new FabricChannelOptions { MaxSendMessageSize = 100 });
        await using var call = channel.Duplex(EchoService.Duplex);

        var unary = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x", new string('a', 200))));
        var duplex = await Assert.ThrowsAsync<RpcException>(() => call.WriteAsync(EchoService.Message("x", new string('a', 200))));

        Assert.Equal(StatusCode.ResourceExhausted, unary.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, duplex.StatusCode);
    }

    [Fact]
    public async Task Server_refuses_to_send_over_its_send_limit()
    {
        await using var server = await Loopback.StartAsync(new GrpcServerOptions { MaxSendMessageSize = 100 });
        using var channel = Loopback.H2c(server);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x", new string('a', 200))));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }
}
