using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Fabric.Grpc.Client;

namespace Fabric.Grpc.Benchmarks;

/// <summary>Our client's side of the benchmark: the same two loads as bench-client.js.</summary>
internal static class CSharpLoad
{
    /// <summary>Unary calls per second with <paramref name="concurrency"/> calls always in flight.</summary>
    public static async Task<double> UnaryRateAsync(GrpcChannel channel, TimeSpan duration, int concurrency)
    {
        long count = 0;
        var clock = Stopwatch.StartNew();
        async Task Worker()
        {
            while (clock.Elapsed < duration)
            {
                await channel.UnaryAsync(EchoBenchService.Unary, EchoBenchService.Request);
                Interlocked.Increment(ref count);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Echoed messages per second on one duplex stream, at most 256 in flight.</summary>
    public static async Task<double> DuplexRateAsync(GrpcChannel channel, TimeSpan duration)
    {
        await using var call = channel.Duplex(EchoBenchService.Duplex);
        using var window = new SemaphoreSlim(256, 256);
        var clock = Stopwatch.StartNew();
        var writing = Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                await window.WaitAsync();
                await call.WriteAsync(EchoBenchService.Request);
            }
            await call.CompleteAsync();
        });
        long received = 0;
        await foreach (var _ in call.Responses)
        {
            received++;
            window.Release();
        }
        await writing;
        return received / clock.Elapsed.TotalSeconds;
    }
}
