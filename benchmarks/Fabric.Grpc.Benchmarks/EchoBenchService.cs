using Fabric.Grpc.Client;
using Grpc.Core;
using Fabric.Grpc;
using Fabric.Grpc.Server;
using Google.Protobuf;
using Protos;

namespace Fabric.Grpc.Benchmarks;

/// <summary>The benchmark's echo service: same paths as tests/interop/node/grpc/bench-server.js, plain echo.</summary>
internal static class EchoBenchService
{
    public static readonly Method<ChaincodeMessage, ChaincodeMessage> Unary =
        ProtobufMethod.Create(MethodType.Unary, "cashtransfer.test.Echo", "Unary", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

    public static readonly Method<ChaincodeMessage, ChaincodeMessage> Duplex =
        ProtobufMethod.Create(MethodType.DuplexStreaming, "cashtransfer.test.Echo", "Duplex", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

    /// <summary>A 100-byte payload, like the Node client's.</summary>
    public static readonly ChaincodeMessage Request = new()
    {
        Type = ChaincodeMessage.Types.Type.Transaction,
        Txid = "bench",
        ChannelId = "0",
        Payload = ByteString.CopyFromUtf8(new string('x', 100)),
    };

    public static GrpcServiceDefinition Definition() => new GrpcServiceDefinition()
        .AddUnary(Unary, (request, _) => Task.FromResult(request))
        .AddDuplex(Duplex, async (requests, responses, context) =>
        {
            await foreach (var request in requests.WithCancellation(context.CancellationToken))
                await responses.WriteAsync(request, context.CancellationToken);
        });
}
