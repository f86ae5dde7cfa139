using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Grpc.Tests.Support;

namespace Fabric.Grpc.Tests;

public sealed class KeepAliveTests
{
    [Fact]
    public void Interval_below_the_servers_minimum_is_refused()
    {
        var options = new FabricChannelOptions { KeepAliveInterval = TimeSpan.FromSeconds(10) }; // peers enforce 60 s by default

        var error = Assert.Throws<ArgumentException>(() => FabricChannel.Create(new Uri("http://127.0.0.1:7051"), options));

        Assert.Contains("minimum", error.Message);
    }

    [Fact]
    public void Interval_at_the_minimum_configures_http2_pings()
    {
        var options = new FabricChannelOptions { KeepAliveInterval = TimeSpan.FromSeconds(60), KeepAliveTimeout = TimeSpan.FromSeconds(7) };

        using var handler = ChannelHandlerFactory.Create(new Uri("http://127.0.0.1:7051"), options);

        Assert.Equal(TimeSpan.FromSeconds(60), handler.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(7), handler.KeepAlivePingTimeout);
        Assert.Equal(System.Net.Http.HttpKeepAlivePingPolicy.WithActiveRequests, handler.KeepAlivePingPolicy);
    }

    [Fact]
    public async Task Pinging_connection_keeps_serving_an_idle_stream()
    {
        await using var server = await Loopback.StartAsync();
        var options = new FabricChannelOptions
        {
            MinimumKeepAliveInterval = TimeSpan.FromSeconds(1),
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            KeepAliveTimeout = TimeSpan.FromSeconds(5),
        };
        using var channel = Loopback.H2c(server, options);
        await using var call = channel.Duplex(EchoService.Duplex);
        await using var responses = call.Responses.GetAsyncEnumerator();

        await call.WriteAsync(EchoService.Message("before"));
        Assert.True(await responses.MoveNextAsync());
        await Task.Delay(3500); // several ping rounds while the stream idles
        await call.WriteAsync(EchoService.Message("after"));
        Assert.True(await responses.MoveNextAsync());

        Assert.Equal("after", responses.Current.Txid);
    }
}
