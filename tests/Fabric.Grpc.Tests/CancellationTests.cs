using Fabric.Grpc.Client;
using Grpc.Core;
using Fabric.Grpc.Server;
using Fabric.Grpc.Tests.Support;
using Microsoft.Extensions.Logging;
using Protos;

namespace Fabric.Grpc.Tests;

/// <summary>Cancellation both ways: the client's reaches the handler's token; the server's reaches the client as CANCELLED.</summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Cancelling_a_unary_call_cancels_the_server_handler()
    {
        var hanging = new HangingService();
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), hanging.Definition());
        using var channel = Loopback.H2c(server);
        using var cancellation = new CancellationTokenSource();

        var call = channel.UnaryAsync(EchoService.Unary, EchoService.Message("x"), new CallOptions(cancellationToken: cancellation.Token));
        await hanging.Started.Task.WaitAsync(Patience);
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Patience));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.True(await hanging.Cancelled.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task Cancelling_a_duplex_call_resets_the_stream_and_cancels_the_handler()
    {
        var hanging = new HangingService();
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), hanging.Definition());
        using var channel = Loopback.H2c(server);
        await using var call = channel.Duplex(EchoService.Duplex);
        await using var responses = call.Responses.GetAsyncEnumerator();

        Assert.True(await responses.MoveNextAsync());
        Assert.Equal("started", responses.Current.Txid);
        call.Cancel();

        Assert.True(await hanging.Cancelled.Task.WaitAsync(Patience));
        var error = await Assert.ThrowsAsync<RpcException>(async () => await responses.MoveNextAsync());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task A_handler_that_fails_because_the_client_reset_its_stream_is_not_logged_as_a_server_error()
    {
        var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var readFailed = new TaskCompletionSource<OperationCanceledException>(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = new GrpcServiceDefinition().AddDuplex(EchoService.Duplex, async (requests, responses, context) =>
        {
            await responses.WriteAsync(EchoService.Message("started"), context.CancellationToken);
            try { await foreach (var _ in requests) { } }
            catch (OperationCanceledException e)
            {
                readFailed.TrySetResult(e); // as a chaincode's read loop meets a peer's reset
                throw;
            }
        });
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions { LoggerFactory = loggerFactory }, definition);
        using var channel = Loopback.H2c(server);
        await using var call = channel.Duplex(EchoService.Duplex);
        await using var responses = call.Responses.GetAsyncEnumerator();
        Assert.True(await responses.MoveNextAsync());

        call.Cancel();
        await readFailed.Task.WaitAsync(Patience);
        await server.DisposeAsync(); // the call's end has been handled (and logged) once the server has stopped

        Assert.NotEmpty(logs.Entries); // the server did log (at debug level) what it did
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_handler_writing_after_the_client_reset_its_stream_sees_a_cancellation_and_logs_no_server_error()
    {
        var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var writeFailed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = new GrpcServiceDefinition().AddDuplex(EchoService.Duplex, async (requests, responses, context) =>
        {
            await responses.WriteAsync(EchoService.Message("started"), CancellationToken.None);
            await Task.Delay(Timeout.Infinite, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            try { await responses.WriteAsync(EchoService.Message("too late"), CancellationToken.None); } // as a chaincode answering a peer that just hung up
            catch (Exception e)
            {
                writeFailed.TrySetResult(e);
                throw;
            }
        });
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions { LoggerFactory = loggerFactory }, definition);
        using var channel = Loopback.H2c(server);
        await using var call = channel.Duplex(EchoService.Duplex);
        await using var responses = call.Responses.GetAsyncEnumerator();
        Assert.True(await responses.MoveNextAsync());

        call.Cancel();
        var failure = await writeFailed.Task.WaitAsync(Patience);
        await server.DisposeAsync();

        Assert.IsAssignableFrom<OperationCanceledException>(failure);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Leaving_a_server_stream_early_cancels_the_server_handler()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = new GrpcServiceDefinition().AddServerStreaming(EchoService.ServerStream, async (request, responses, context) =>
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await responses.WriteAsync(new ChaincodeMessage { Txid = $"m{i}" }, context.CancellationToken);
                    await Task.Delay(10, context.CancellationToken);
                }
            }
            finally
            {
                if (context.CancellationToken.IsCancellationRequested) cancelled.TrySetResult();
            }
        });
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), definition);
        using var channel = Loopback.H2c(server);

        var taken = 0;
        await foreach (var _ in channel.ServerStreaming(EchoService.ServerStream, EchoService.Message("x")))
            if (++taken == 3) break;

        await cancelled.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Server_side_cancellation_reaches_the_client_as_cancelled()
    {
        var definition = new GrpcServiceDefinition().AddUnary(EchoService.Unary, (request, context) =>
            Task.FromException<ChaincodeMessage>(new OperationCanceledException("the server gave up")));
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), definition);
        using var channel = Loopback.H2c(server);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x")));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task Disposing_the_server_cancels_calls_in_progress()
    {
        var hanging = new HangingService();
        var server = await GrpcServer.StartAsync(new GrpcServerOptions(), hanging.Definition());
        using var channel = Loopback.H2c(server);
        await using var call = channel.Duplex(EchoService.Duplex);
        await using var responses = call.Responses.GetAsyncEnumerator();
        Assert.True(await responses.MoveNextAsync());
        // The client reads while the server stops, as a client waiting on a stream does. (A read started only after
        // the connection closed meets Grpc.Net.Client's abort of the connection before the trailers it had received:
        // INTERNAL "The HTTP/2 server closed the connection".)
        var next = responses.MoveNextAsync().AsTask();

        await server.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.True(await hanging.Cancelled.Task.WaitAsync(Patience));
        var error = await Assert.ThrowsAsync<RpcException>(() => next);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
