using Fabric.Grpc.Server;
using Google.Protobuf;
using Protos;

namespace Fabric.Grpc.Tests.Support;

/// <summary>
/// The test service, with Fabric's ChaincodeMessage as payload. The same method paths are served by the
/// Node counterpart (tests/interop/node/grpc/server.js), so every test runs against either server.
/// </summary>
public static class EchoService
{
    public const string Name = "cashtransfer.test.Echo";

    /// <summary>Returns the request; <c>Txid</c> may ask for a behaviour (see <see cref="Behave"/>).</summary>
    public static readonly Method<ChaincodeMessage, ChaincodeMessage> Unary =
        new(MethodType.Unary, Name, "Unary", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

    /// <summary>Sends as many replies as the request's <c>ChannelId</c> says (a number), then behaves as its <c>Txid</c> asks.</summary>
    public static readonly Method<ChaincodeMessage, ChaincodeMessage> ServerStream =
        new(MethodType.ServerStreaming, Name, "ServerStream", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

    /// <summary>Echoes each request as it comes.</summary>
    public static readonly Method<ChaincodeMessage, ChaincodeMessage> Duplex =
        new(MethodType.DuplexStreaming, Name, "Duplex", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

    public static ChaincodeMessage Message(string txid, string payload = "", int count = 0) => new()
    {
        Type = ChaincodeMessage.Types.Type.Transaction,
        Txid = txid,
        ChannelId = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Payload = ByteString.CopyFromUtf8(payload),
    };

    public static GrpcServiceDefinition Definition() => new GrpcServiceDefinition()
        .AddUnary(Unary, async (request, context) =>
        {
            await Behave(request, context);
            return Reply(request, context);
        })
        .AddServerStreaming(ServerStream, async (request, responses, context) =>
        {
            var count = int.Parse(request.ChannelId, System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 0; i < count; i++)
                await responses.WriteAsync(new ChaincodeMessage { Txid = $"{request.Txid}-{i}", Payload = request.Payload }, context.CancellationToken);
            await Behave(request, context);
        })
        .AddDuplex(Duplex, async (requests, responses, context) =>
        {
            await foreach (var request in requests.WithCancellation(context.CancellationToken))
            {
                await Behave(request, context);
                await responses.WriteAsync(Reply(request, context), context.CancellationToken);
            }
        });

    /// <summary>
    /// Behaviours asked for by <c>Txid</c>: <c>sleep:ms</c> waits on the call's token,
    /// <c>fail:code:message</c> ends with that status, <c>throw</c> throws a plain exception,
    /// <c>hang</c> waits for cancellation and records it.
    /// </summary>
    private static async Task Behave(ChaincodeMessage request, ServerCallContext context)
    {
        var parts = request.Txid.Split(':', 3);
        switch (parts[0])
        {
            case "sleep":
                await Task.Delay(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), context.CancellationToken);
                break;
            case "fail":
                throw new RpcException((StatusCode)int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]);
            case "throw":
                throw new InvalidOperationException("secret internal detail");
        }
    }

    /// <summary>The request with what the server saw added: the client certificate subject and the metadata.</summary>
    private static ChaincodeMessage Reply(ChaincodeMessage request, ServerCallContext context)
    {
        var reply = request.Clone();
        reply.Proposal = new SignedProposal
        {
            ProposalBytes = ByteString.CopyFromUtf8(context.ClientCertificate?.Subject ?? ""),
            Signature = ByteString.CopyFromUtf8(context.RequestHeaders.Get("x-test") ?? ""),
        };
        return reply;
    }
}
