using Fabric.Grpc.Client;
using Grpc.Core;
using Fabric.Grpc;
using Fabric.Grpc.Server;
using Fabric.Grpc.Tests.Support;

namespace Fabric.Grpc.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Two_hundred_unary_calls_run_at_once_beyond_the_servers_stream_limit()
    {
        // Each handler waits until all 200 are in flight. With 100 streams per connection that only
        // happens if the channel opens a second connection instead of queueing.
        const int calls = 200;
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = new GrpcServiceDefinition().AddUnary(EchoService.Unary, async (request, context) =>
        {
            if (Interlocked.Increment(ref started) == calls) allStarted.SetResult();
            await allStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), context.CancellationToken);
            return request;
        });
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions { MaxStreamsPerConnection = 100 }, definition);
        using var channel = Loopback.H2c(server);

        var replies = await Task.WhenAll(Enumerable.Range(0, calls).Select(i =>
            channel.UnaryAsync(EchoService.Unary, EchoService.Message($"call-{i}"), FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(30)))));

        Assert.Equal(Enumerable.Range(0, calls).Select(i => $"call-{i}"), replies.Select(r => r.Txid));
    }

    [Fact]
    public async Task Concurrent_duplex_calls_keep_their_messages_apart()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server);

        async Task<List<string>> RunAsync(int id)
        {
            await using var call = channel.Duplex(EchoService.Duplex);
            var reading = call.Responses.Select(m => m.Txid).ToListAsync().AsTask();
            for (var i = 0; i < 20; i++) await call.WriteAsync(EchoService.Message($"{id}-{i}"));
            await call.CompleteAsync();
            return await reading;
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(RunAsync));

        for (var id = 0; id < 20; id++)
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{id}-{i}"), results[id]);
    }
}
