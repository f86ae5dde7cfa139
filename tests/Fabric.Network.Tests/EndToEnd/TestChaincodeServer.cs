using System.Collections.Concurrent;
using System.Text;
using Grpc.Core;
using Fabric.Grpc.Server;
using Fabric.Network.Endorsing;
using Google.Protobuf;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Network.Tests.EndToEnd;

/// <summary>
/// A tiny chaincode served as a service, speaking the chaincode protocol directly over Fabric.Grpc (the
/// .NET shim is a separate project): REGISTER, then TRANSACTION handling with GET_STATE / PUT_STATE /
/// ranges / history / metadata requests to the peer. Functions: put, get, incr, fail, count (range over
/// a prefix), history, guard (key-level policy).
/// </summary>
public sealed class TestChaincodeServer : IAsyncDisposable
{
    private readonly GrpcServer _server;

    private TestChaincodeServer(GrpcServer server) => _server = server;

    public string Address => $"127.0.0.1:{_server.Port}";

    /// <summary>How many Connect streams peers have opened (one per peer).</summary>
    public int Connections => _connections;
    private static int _connections;

    public static async Task<TestChaincodeServer> StartAsync()
    {
        var services = new GrpcServiceDefinition().AddDuplex(ChaincodeConnection.ConnectMethod, (requests, responses, context) => new Session(responses).RunAsync(requests, context.CancellationToken));
        return new TestChaincodeServer(await GrpcServer.StartAsync(new GrpcServerOptions { Port = 0 }, services));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class Session(IServerStreamWriter<ChaincodeMessage> responses)
    {
        private readonly SemaphoreSlim _write = new(1, 1);
        private readonly ConcurrentDictionary<string, TaskCompletionSource<ChaincodeMessage>> _pending = new();

        public async Task RunAsync(IAsyncEnumerable<ChaincodeMessage> requests, CancellationToken token)
        {
            Interlocked.Increment(ref _connections);
            await Send(new ChaincodeMessage { Type = MessageType.Register, Payload = new ChaincodeID { Name = "kv_1.0" }.ToByteString() });
            await foreach (var message in requests.WithCancellation(token))
            {
                switch (message.Type)
                {
                    case MessageType.Registered or MessageType.Ready:
                        break;
                    case MessageType.Transaction:
                        _ = Task.Run(() => ExecuteAsync(message), token);
                        break;
                    case MessageType.Response or MessageType.Error:
                        if (_pending.TryRemove(message.Txid, out var waiter)) waiter.SetResult(message);
                        break;
                }
            }
        }

        private async Task Send(ChaincodeMessage message)
        {
            await _write.WaitAsync();
            try { await responses.WriteAsync(message); }
            finally { _write.Release(); }
        }

        private async Task<ChaincodeMessage> Call(ChaincodeMessage tx, MessageType type, IMessage payload)
        {
            var waiter = new TaskCompletionSource<ChaincodeMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[tx.Txid] = waiter;
            await Send(new ChaincodeMessage { Type = type, Payload = payload.ToByteString(), Txid = tx.Txid, ChannelId = tx.ChannelId });
            var answer = await waiter.Task;
            if (answer.Type == MessageType.Error) throw new InvalidOperationException(answer.Payload.ToStringUtf8());
            return answer;
        }

        private async Task ExecuteAsync(ChaincodeMessage tx)
        {
            var args = ChaincodeInput.Parser.ParseFrom(tx.Payload).Args.Select(a => a.ToStringUtf8()).ToArray();
            Response response;
            ChaincodeEvent? ev = null;
            try
            {
                (response, ev) = await Dispatch(tx, args);
            }
            catch (InvalidOperationException e)
            {
                response = new Response { Status = 500, Message = e.Message };
            }
            await Send(new ChaincodeMessage { Type = MessageType.Completed, Payload = response.ToByteString(), Txid = tx.Txid, ChannelId = tx.ChannelId, ChaincodeEvent = ev });
        }

        private static Response Ok(string payload) => new() { Status = 200, Payload = ByteString.CopyFromUtf8(payload) };

        private async Task<(Response, ChaincodeEvent?)> Dispatch(ChaincodeMessage tx, string[] args)
        {
            switch (args[0])
            {
                case "put":
                    await Call(tx, MessageType.PutState, new PutState { Key = args[1], Value = ByteString.CopyFromUtf8(args[2]) });
                    return (Ok(args[2]), new ChaincodeEvent { EventName = "Put", Payload = ByteString.CopyFromUtf8(args[1] + "=" + args[2]) });
                case "get":
                    var value = (await Call(tx, MessageType.GetState, new GetState { Key = args[1] })).Payload;
                    if (value.IsEmpty) return (new Response { Status = 500, Message = $"{args[1]} does not exist" }, null);
                    return (Ok(value.ToStringUtf8()), null);
                case "incr":
                    var current = (await Call(tx, MessageType.GetState, new GetState { Key = args[1] })).Payload.ToStringUtf8();
                    var next = (current.Length == 0 ? 0 : int.Parse(current)) + 1;
                    await Call(tx, MessageType.PutState, new PutState { Key = args[1], Value = ByteString.CopyFromUtf8(next.ToString()) });
                    return (Ok(next.ToString()), null);
                case "fail":
                    await Call(tx, MessageType.GetState, new GetState { Key = args[1] });
                    return (new Response { Status = 500, Message = "deliberate failure after reading " + args[1] }, null);
                case "bulk":
                    for (int i = 0; i < int.Parse(args[2]); i++)
                        await Call(tx, MessageType.PutState, new PutState { Key = $"{args[1]}{i:D4}", Value = ByteString.CopyFromUtf8("x") });
                    return (Ok(args[2]), null);
                case "count":
                    var first = QueryResponse.Parser.ParseFrom((await Call(tx, MessageType.GetStateByRange, new GetStateByRange { StartKey = args[1], EndKey = args[2] })).Payload);
                    int count = first.Results.Count;
                    var page = first;
                    while (page.HasMore)
                    {
                        page = QueryResponse.Parser.ParseFrom((await Call(tx, MessageType.QueryStateNext, new QueryStateNext { Id = first.Id })).Payload);
                        count += page.Results.Count;
                    }
                    await Call(tx, MessageType.QueryStateClose, new QueryStateClose { Id = first.Id });
                    if (args.Length > 3) await Call(tx, MessageType.PutState, new PutState { Key = args[3], Value = ByteString.CopyFromUtf8(count.ToString()) });
                    return (Ok(count.ToString()), null);
                case "history":
                    var history = QueryResponse.Parser.ParseFrom((await Call(tx, MessageType.GetHistoryForKey, new GetHistoryForKey { Key = args[1] })).Payload);
                    await Call(tx, MessageType.QueryStateClose, new QueryStateClose { Id = history.Id });
                    var values = history.Results.Select(r => Queryresult.KeyModification.Parser.ParseFrom(r.ResultBytes)).Select(m => m.IsDelete ? "<deleted>" : m.Value.ToStringUtf8());
                    return (Ok(string.Join(",", values)), null);
                case "guard":
                    var policy = Fabric.Network.Policies.SignaturePolicyParser.Parse($"OR('{args[2]}.peer')").ToByteString();
                    await Call(tx, MessageType.PutStateMetadata, new PutStateMetadata { Key = args[1], Metadata = new StateMetadata { Metakey = "VALIDATION_PARAMETER", Value = policy } });
                    return (Ok("guarded"), null);
                case "rich":
                    await Call(tx, MessageType.GetQueryResult, new GetQueryResult { Query = args[1] });
                    return (Ok("unreachable"), null);
                default:
                    return (new Response { Status = 500, Message = "unknown function " + args[0] }, null);
            }
        }
    }
}
