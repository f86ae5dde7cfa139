using Fabric.Grpc.Client;
using Grpc.Core;
using Fabric.Grpc.Server;
using Fabric.Grpc.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Protos;

namespace Fabric.Grpc.Tests;

/// <summary>What a failed call tells the client: code, message, status details, trailers.</summary>
public sealed class StatusTests
{
    [Fact]
    public async Task Message_with_non_ascii_and_percent_signs_arrives_unchanged()
    {
        const string detail = "Ungültig: 100% — ☃ réduction\tdone %41";
        var definition = new GrpcServiceDefinition().AddUnary(EchoService.Unary, (request, context) =>
            Task.FromException<ChaincodeMessage>(RpcErrors.Create(StatusCode.FailedPrecondition, detail)));
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), definition);
        using var channel = Loopback.H2c(server);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x")));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal(detail, error.Status.Detail);
    }

    [Fact]
    public async Task Malformed_bytes_that_a_handler_parses_are_INVALID_ARGUMENT_also_where_Google_Protobuf_throws_IndexOutOfRange()
    {
        var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var parseFailure = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = new GrpcServiceDefinition().AddUnary(EchoService.Unary, (request, context) =>
        {
            try { Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(request.Payload); }
            catch (Exception e) { parseFailure.TrySetResult(e); throw; }
            return Task.FromResult(request);
        });
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions { LoggerFactory = loggerFactory }, definition);
        using var channel = Loopback.H2c(server);
        // A nested message whose length field is near int.MaxValue, then cut off (protocolbuffers/protobuf#26856).
        var request = new ChaincodeMessage { Payload = ByteString.CopyFrom(Convert.FromHexString("2affffffff672acc")) };

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, request));
        await server.DisposeAsync();

        Assert.IsType<IndexOutOfRangeException>(await parseFailure.Task); // the library's own failure, recognised as malformed input
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("malformed protobuf message", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_handler_error_quoting_too_much_is_cut_so_that_the_connection_and_its_other_calls_survive()
    {
        // A 4,000-character message of U+FFFD (9 bytes each once percent-encoded) and 100 KB of details: unbounded,
        // the client's 64 KiB header limit breaks the connection, and with it the call held open beside this one.
        var huge = new string('\uFFFD', 4000);
        var details = new Google.Rpc.Status { Message = huge, Details = { Any.Pack(new Gateway.ErrorDetail { Message = new string('x', 100_000) }) } };
        var definition = EchoService.Definition().AddUnary(Failing, (request, context) =>
            Task.FromException<ChaincodeMessage>(RpcErrors.Create(StatusCode.Aborted, huge, details, new Metadata { { "x-small", "kept" } })));
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), definition);
        using var channel = Loopback.H2c(server);
        using var beside = channel.CreateCallInvoker().AsyncDuplexStreamingCall(EchoService.Duplex, null, new CallOptions());
        await beside.RequestStream.WriteAsync(EchoService.Message("before"));
        Assert.True(await beside.ResponseStream.MoveNext());

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(Failing, EchoService.Message("x")));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(RpcErrors.Bounded(huge), error.Status.Detail);
        Assert.Null(error.GetStatusDetails()); // too large to send whole, so left off
        Assert.Equal("kept", error.Trailers.GetValue("x-small"));
        await beside.RequestStream.WriteAsync(EchoService.Message("after"));
        Assert.True(await beside.ResponseStream.MoveNext());
        Assert.Equal("after", beside.ResponseStream.Current.Txid);
        await beside.RequestStream.CompleteAsync();
    }

    private static readonly Method<ChaincodeMessage, ChaincodeMessage> Failing =
        ProtobufMethod.Create(MethodType.Unary, EchoService.Name, "Failing", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

    [Fact]
    public async Task Status_details_and_trailers_thrown_by_a_handler_reach_the_client()
    {
        var details = new Google.Rpc.Status
        {
            Code = (int)StatusCode.Aborted,
            Message = "endorsement failed",
            Details = { Any.Pack(new Gateway.ErrorDetail { Address = "peer0.org1:7051", MspId = "Org1MSP", Message = "chaincode said no" }) },
        };
        var trailers = new Metadata { { "x-reason", "policy" } };
        var definition = new GrpcServiceDefinition().AddUnary(EchoService.Unary, (request, context) =>
            Task.FromException<ChaincodeMessage>(RpcErrors.Create(StatusCode.Aborted, "failed to endorse", details, trailers)));
        await using var server = await GrpcServer.StartAsync(new GrpcServerOptions(), definition);
        using var channel = Loopback.H2c(server);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x")));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(details, error.GetStatusDetails());
        Assert.Equal("chaincode said no", error.GetStatusDetails()!.Details[0].Unpack<Gateway.ErrorDetail>().Message);
        Assert.Equal("policy", error.Trailers.GetValue("x-reason"));
    }

    [Fact]
    public async Task Status_after_streamed_messages_arrives_in_the_trailers()
    {
        await using var server = await Loopback.StartAsync();
        using var channel = Loopback.H2c(server);
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var message in channel.ServerStreaming(EchoService.ServerStream, EchoService.Message("fail:9:after two", count: 2)))
                received.Add(message.Txid);
        });

        Assert.Equal(2, received.Count);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("after two", error.Status.Detail);
    }

    [Fact]
    public async Task Handler_exception_becomes_unknown_without_its_message_and_is_logged()
    {
        var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var server = await Loopback.StartAsync(new GrpcServerOptions { LoggerFactory = loggerFactory });
        using var channel = Loopback.H2c(server);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("throw")));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.DoesNotContain("secret", error.Status.Detail);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
    }
}
