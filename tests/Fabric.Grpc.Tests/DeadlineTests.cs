using Fabric.Grpc.Client;
using Grpc.Core;
using Fabric.Grpc;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Fabric.Grpc.Server;
using Fabric.Grpc.Tests.Support;

namespace Fabric.Grpc.Tests;

/// <summary>Deadlines: sent as grpc-timeout, enforced by the server and by the client on its own.</summary>
public sealed class DeadlineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The deadline of a call whose handler must have started before it passes: on a loaded machine a shorter one can
    /// pass (and the client reset the call) before the server dispatched the request at all.
    /// </summary>
    private static readonly TimeSpan HandlerDeadline = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Deadline_ends_the_call_and_cancels_the_server_handler()
    {
        var hanging = new HangingService();
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), hanging.Definition());
        using var channel = Loopback.H2c(server);
        await HangingService.WarmUpAsync(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(EchoService.Unary, EchoService.Message("x"), FabricCallOptions.WithTimeout(HandlerDeadline)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(await hanging.Cancelled.Task.WaitAsync(Patience));
        var context = await hanging.Started.Task;
        Assert.InRange(context.Deadline, DateTime.UtcNow - Patience, DateTime.UtcNow + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_handler_reading_requests_when_its_deadline_passes_sees_its_own_token_cancelled()
    {
        var readEnded = new TaskCompletionSource<(Exception Error, CancellationToken Token)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = new GrpcServiceDefinition()
            .AddUnary(EchoService.Unary, (request, _) => Task.FromResult(request))
            .AddDuplex(EchoService.Duplex, async (requests, responses, context) =>
            {
                try
                {
                    await foreach (var request in requests)
                        await responses.WriteAsync(request, context.CancellationToken);   // tells the client the handler reads
                }
                catch (Exception e) { readEnded.TrySetResult((e, context.CancellationToken)); throw; }
                readEnded.TrySetResult((new InvalidOperationException("the request stream ended without an error"), context.CancellationToken));
            });
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), definition);
        using var channel = Loopback.H2c(server);
        // A first call warms the server's code paths, so that a slow first dispatch cannot outlast the deadline below
        // and end the call before the handler ever runs.
        await channel.UnaryAsync(EchoService.Unary, EchoService.Message("warm-up"), FabricCallOptions.WithTimeout(Patience));

        // After one echoed message the request side stays open and silent: only the deadline can end the handler's read.
        await using var call = channel.Duplex(EchoService.Duplex, FabricCallOptions.WithTimeout(HandlerDeadline));
        await call.WriteAsync(EchoService.Message("reading"));
        var error = await Assert.ThrowsAsync<RpcException>(async () => { await foreach (var _ in call.Responses) { } });

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var (readError, token) = await readEnded.Task.WaitAsync(Patience);
        Assert.IsType<OperationCanceledException>(readError, exactMatch: false);
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public async Task Server_cancels_the_handler_at_the_deadline_the_client_sent()
    {
        var hanging = new HangingService();
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), hanging.Definition());
        using var channel = Loopback.H2c(server);
        await HangingService.WarmUpAsync(channel);

        // The server's side of a deadline: the handler is told the instant (from grpc-timeout) and its token fires then.
        var deadline = DateTime.UtcNow + HandlerDeadline;
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(EchoService.Unary, EchoService.Message("x"), new CallOptions(deadline: deadline)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var context = await hanging.Started.Task.WaitAsync(Patience);
        // The server counts the grpc-timeout from the request's arrival, so its deadline is the client's plus the time
        // the request took to arrive (nearly a second once in CI, with other suites running): never earlier than the
        // client's, never later than the handler's start plus the timeout the client sent.
        Assert.InRange(context.Deadline, deadline.AddMilliseconds(-50), hanging.StartedAt + HandlerDeadline + TimeSpan.FromMilliseconds(50));
        Assert.True(await hanging.Cancelled.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task Client_enforces_its_deadline_when_the_server_never_answers()
    {
        // A listener that accepts and then says nothing: no server will end this call.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptSocketAsync();
        using var channel = Fabric.Grpc.Client.FabricChannel.Create(new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(EchoService.Unary, EchoService.Message("x"), FabricCallOptions.WithTimeout(TimeSpan.FromMilliseconds(300))).WaitAsync(Patience));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(clock.Elapsed < Patience);
        (await accepted).Dispose();
    }

    [Fact]
    public async Task Deadline_in_the_past_fails_without_reaching_the_server()
    {
        var hanging = new HangingService();
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), hanging.Definition());
        using var channel = Loopback.H2c(server);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(EchoService.Unary, EchoService.Message("x"), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(-1))));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.False(hanging.Started.Task.IsCompleted);
    }

    [Fact]
    public async Task Duplex_deadline_ends_the_response_stream()
    {
        var hanging = new HangingService();
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), hanging.Definition());
        using var channel = Loopback.H2c(server);
        await HangingService.WarmUpAsync(channel);
        await using var call = channel.Duplex(EchoService.Duplex, FabricCallOptions.WithTimeout(HandlerDeadline));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.Responses.ToListAsync().AsTask().WaitAsync(Patience));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(await hanging.Cancelled.Task.WaitAsync(Patience));
    }
}
