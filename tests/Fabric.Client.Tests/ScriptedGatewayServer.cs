using System.Collections.Concurrent;
using Fabric.Client.Internal;
using Grpc.Core;
using Grpc.Net.Client;
using Fabric.Grpc;
using Fabric.Grpc.Client;
using Fabric.Grpc.Server;
using Gateway;
using Google.Protobuf;
using Protos;

namespace Fabric.Client.Tests;

/// <summary>
/// A Gateway peer on Fabric.Grpc's real server (h2c, 127.0.0.1, ephemeral port) whose answers a test scripts per
/// method: return a message or throw an RpcException (status, message and google.rpc.Status details go on the wire
/// as grpc-status, grpc-message and grpc-status-details-bin). Records the order of calls and their request bytes.
/// </summary>
internal sealed class ScriptedGatewayServer : IAsyncDisposable
{
    private readonly GrpcServer _server;

    private ScriptedGatewayServer(GrpcServer server, Script script)
    {
        _server = server;
        Calls = script.Calls;
        Address = new Uri($"http://127.0.0.1:{server.Port}");
        Channel = FabricChannel.Create(Address);
    }

    public ConcurrentQueue<RecordedCall> Calls { get; }
    public Uri Address { get; }

    public GrpcChannel Channel { get; }
    public IEnumerable<string> MethodNames => Calls.Select(c => c.Method);

    public sealed class Script
    {
        internal ConcurrentQueue<RecordedCall> Calls { get; } = new();
        public Func<EvaluateRequest, ServerCallContext, Task<EvaluateResponse>>? Evaluate { get; set; }
        public Func<EndorseRequest, ServerCallContext, Task<EndorseResponse>>? Endorse { get; set; }
        public Func<global::Gateway.SubmitRequest, ServerCallContext, Task<SubmitResponse>>? Submit { get; set; }
        public Func<SignedCommitStatusRequest, ServerCallContext, Task<CommitStatusResponse>>? CommitStatus { get; set; }
        public Func<SignedChaincodeEventsRequest, IServerStreamWriter<ChaincodeEventsResponse>, ServerCallContext, Task>? ChaincodeEvents { get; set; }
        public Func<Common.Envelope, IServerStreamWriter<DeliverResponse>, ServerCallContext, Task>? Deliver { get; set; }
    }

    public static async Task<ScriptedGatewayServer> StartAsync(Script script)
    {
        var services = new GrpcServiceDefinition()
            .AddUnary(GatewayMethods.Evaluate, Record(script, "Evaluate", () => script.Evaluate))
            .AddUnary(GatewayMethods.Endorse, Record(script, "Endorse", () => script.Endorse))
            .AddUnary(GatewayMethods.Submit, Record(script, "Submit", () => script.Submit))
            .AddUnary(GatewayMethods.CommitStatus, Record(script, "CommitStatus", () => script.CommitStatus))
            .AddServerStreaming(GatewayMethods.ChaincodeEvents, async (request, responses, context) =>
            {
                script.Calls.Enqueue(new RecordedCall("ChaincodeEvents", request.ToByteArray(), default));
                await (script.ChaincodeEvents ?? throw Unimplemented())(request, responses, context);
            })
            .AddDuplex(GatewayMethods.Deliver, (requests, responses, context) => ServeDeliver(script, "Deliver", requests, responses, context))
            .AddDuplex(GatewayMethods.DeliverFiltered, (requests, responses, context) => ServeDeliver(script, "DeliverFiltered", requests, responses, context))
            .AddDuplex(GatewayMethods.DeliverWithPrivateData, (requests, responses, context) => ServeDeliver(script, "DeliverWithPrivateData", requests, responses, context));
        var server = await GrpcServer.StartAsync(new GrpcServerOptions { Port = 0 }, services);
        return new ScriptedGatewayServer(server, script);
    }

    private static async Task ServeDeliver(Script script, string name, IAsyncEnumerable<Common.Envelope> requests,
        IServerStreamWriter<DeliverResponse> responses, ServerCallContext context)
    {
        await foreach (var envelope in requests.WithCancellation(context.CancellationToken))
        {
            script.Calls.Enqueue(new RecordedCall(name, envelope.ToByteArray(), default));
            await (script.Deliver ?? throw Unimplemented())(envelope, responses, context);
            return;
        }
    }

    private static UnaryHandler<TRequest, TResponse> Record<TRequest, TResponse>(Script script, string name,
        Func<Func<TRequest, ServerCallContext, Task<TResponse>>?> handler) where TRequest : class, IMessage<TRequest> =>
        (request, context) =>
        {
            script.Calls.Enqueue(new RecordedCall(name, request.ToByteArray(), new CallOptions(deadline: context.Deadline)));
            return (handler() ?? throw Unimplemented())(request, context);
        };

    private static RpcException Unimplemented() => RpcErrors.Create(StatusCode.Unimplemented, "not scripted in this test");

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _server.DisposeAsync();
    }
}
