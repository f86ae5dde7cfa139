using Fabric.Grpc.Client;
using Grpc.Core;
using Fabric.Grpc.Server;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
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
        ProtobufMethod.Create(MethodType.Unary, Name, "Unary", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

    /// <summary>Sends as many replies as the request's <c>ChannelId</c> says (a number), then behaves as its <c>Txid</c> asks.</summary>
    public static readonly Method<ChaincodeMessage, ChaincodeMessage> ServerStream =
        ProtobufMethod.Create(MethodType.ServerStreaming, Name, "ServerStream", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

    /// <summary>Echoes each request as it comes, then behaves as its <c>Txid</c> asks.</summary>
    public static readonly Method<ChaincodeMessage, ChaincodeMessage> Duplex =
        ProtobufMethod.Create(MethodType.DuplexStreaming, Name, "Duplex", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

    public static ChaincodeMessage Message(string txid, string payload = "", int count = 0) => new()
    {
        Type = ChaincodeMessage.Types.Type.Transaction,
        Txid = txid,
        ChannelId = count.ToString(CultureInfo.InvariantCulture),
        Payload = ByteString.CopyFromUtf8(payload),
    };

    public static GrpcServiceDefinition Definition(CallObserver? observer = null) => new GrpcServiceDefinition()
        .AddUnary(Unary, async (request, context) =>
        {
            await Behave(request, context, observer);
            return Reply(request, context);
        })
        .AddServerStreaming(ServerStream, async (request, responses, context) =>
        {
            var count = int.Parse(request.ChannelId, CultureInfo.InvariantCulture);
            for (var i = 0; i < count; i++)
                await responses.WriteAsync(new ChaincodeMessage { Txid = $"{request.Txid}-{i}", Payload = request.Payload }, context.CancellationToken);
            await Behave(request, context, observer);
        })
        .AddDuplex(Duplex, async (requests, responses, context) =>
        {
            await foreach (var request in requests.WithCancellation(context.CancellationToken))
            {
                // Echo first, then behave: a client sees that the handler has started before it hangs or fails.
                await responses.WriteAsync(Reply(request, context), context.CancellationToken);
                await Behave(request, context, observer);
            }
        });

    /// <summary>
    /// Behaviours asked for by <c>Txid</c> (the Node server has the same): <c>sleep:ms</c> waits on the
    /// call's token, <c>hang:name</c> waits for cancellation and tells the observer, <c>fail:code:message</c>
    /// ends with that status, <c>details:code:message</c> adds a google.rpc.Status with a gateway
    /// ErrorDetail, <c>cancel</c> gives up on the server side, <c>throw</c> throws a plain exception.
    /// </summary>
    private static async Task Behave(ChaincodeMessage request, ServerCallContext context, CallObserver? observer)
    {
        var parts = request.Txid.Split(':', 3);
        switch (parts[0])
        {
            case "sleep":
                await Task.Delay(int.Parse(parts[1], CultureInfo.InvariantCulture), context.CancellationToken);
                break;
            case "hang":
                try { await Task.Delay(Timeout.Infinite, context.CancellationToken); }
                finally { observer?.Cancelled(request.Txid, context.CancellationToken.IsCancellationRequested); }
                break;
            case "fail":
                throw RpcErrors.Create((StatusCode)int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
            case "details":
                var code = int.Parse(parts[1], CultureInfo.InvariantCulture);
                var details = new Google.Rpc.Status
                {
                    Code = code,
                    Message = parts[2],
                    Details = { Any.Pack(new Gateway.ErrorDetail { Address = "peer0.org1:7051", MspId = "Org1MSP", Message = "chaincode said no" }) },
                };
                throw RpcErrors.Create((StatusCode)code, parts[2], details);
            case "cancel":
                throw new OperationCanceledException("cancelled by the server");
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
            ProposalBytes = ByteString.CopyFromUtf8(context.ClientCertificate()?.Subject ?? ""),
            Signature = ByteString.CopyFromUtf8(context.RequestHeaders.GetValue("x-test") ?? ""),
        };
        return reply;
    }
}
