using Fabric.Grpc.Server;
using Grpc.Core;

namespace Fabric.Grpc.Tests;

/// <summary>How a handler's read loop meets the end of its request stream.</summary>
public sealed class RequestStreamTests
{
    [Fact]
    public async Task A_read_refused_because_the_client_aborted_the_request_ends_as_a_cancellation_once_the_calls_token_fired()
    {
        // Grpc.AspNetCore.Server refuses a read once the request is aborted, even before the call's token fires (the
        // fuzzer met it once in 10^6 messages): that is the client's reset, not a server fault. The handler hears of it
        // when its own token has fired as well, as with any other cancellation.
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        using var call = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in RequestStream.ReadAllAsync(new RefusingReader(), aborted.Token, call.Token)) { }
        });

        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.True(call.IsCancellationRequested);
        Assert.Equal(call.Token, e.CancellationToken);
    }

    [Fact]
    public async Task A_read_refused_while_the_request_is_live_stays_an_error()
    {
        // Not a reset: a handler reading wrongly must still be seen as the bug it is.
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in RequestStream.ReadAllAsync(new RefusingReader(), CancellationToken.None, CancellationToken.None)) { }
        });
    }

    private sealed class RefusingReader : IAsyncStreamReader<string>
    {
        public string Current => throw new InvalidOperationException("no message");

        public Task<bool> MoveNext(CancellationToken cancellationToken) =>
            Task.FromException<bool>(new InvalidOperationException("Can't read messages after the request is complete."));
    }
}
