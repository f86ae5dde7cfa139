using System.Text;
using Fabric.Shim.Contracts;
using Fabric.Shim.Handler;
using Fabric.Shim.Stub;
using Fabric.Shim.Tests.Support;
using Google.Protobuf;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Tests.Unit;

public sealed class HandlerTests
{
    /// <summary>A chaincode whose behaviour each test supplies.</summary>
    private sealed class LambdaChaincode(Func<IChaincodeStub, Task<ChaincodeResponse>> invoke) : IChaincode
    {
        public Func<IChaincodeStub, Task<ChaincodeResponse>> Init { get; init; } = _ => Task.FromResult(ChaincodeResponse.Success("init"u8.ToArray()));
        public Task<ChaincodeResponse> InitAsync(IChaincodeStub stub) => Init(stub);
        public Task<ChaincodeResponse> InvokeAsync(IChaincodeStub stub) => invoke(stub);
    }

    private static LambdaChaincode ReadKey() => new(async stub =>
        ChaincodeResponse.Success(await stub.GetStateAsync(stub.Parameters[0])));

    [Fact]
    public async Task Registers_first_with_the_chaincode_id()
    {
        await using var peer = new ScriptedPeer(ReadKey(), "cashtransfer_1.0:abcdef");
        var register = await peer.ReceiveAsync();
        Assert.Equal(MessageType.Register, register.Type);
        Assert.Equal("cashtransfer_1.0:abcdef", ChaincodeID.Parser.ParseFrom(register.Payload).Name);
    }

    [Fact]
    public async Task A_transaction_before_the_handshake_completes_gets_an_error_and_the_stream_carries_on()
    {
        await using var peer = new ScriptedPeer(ReadKey());
        await peer.ReceiveAsync(); // REGISTER
        peer.Send(ScriptedPeer.Transaction("tx0", "ch", null, "get", "k"));
        var refused = await peer.ReceiveAsync();
        Assert.Equal(MessageType.Error, refused.Type);
        Assert.Equal("tx0", refused.Txid);
        Assert.Contains("Created", refused.Payload.ToStringUtf8());

        peer.Send(new ChaincodeMessage { Type = MessageType.Registered });
        peer.Send(new ChaincodeMessage { Type = MessageType.Ready });
        peer.Send(ScriptedPeer.Transaction("tx1", "ch", null, "get", "k"));
        Assert.Equal(MessageType.GetState, (await peer.ReceiveAsync()).Type);
    }

    [Fact]
    public async Task Keepalive_is_echoed_in_every_state()
    {
        await using var peer = new ScriptedPeer(ReadKey());
        await peer.ReceiveAsync();
        var keepalive = new ChaincodeMessage { Type = MessageType.Keepalive, Payload = ByteString.CopyFromUtf8("ping") };
        peer.Send(keepalive);
        Assert.Equal(keepalive, await peer.ReceiveAsync());
        peer.Send(new ChaincodeMessage { Type = MessageType.Registered });
        peer.Send(new ChaincodeMessage { Type = MessageType.Ready });
        peer.Send(keepalive);
        Assert.Equal(keepalive, await peer.ReceiveAsync());
    }

    [Fact]
    public async Task Init_messages_reach_the_init_entry_point()
    {
        await using var peer = await ScriptedPeer.ConnectedAsync(ReadKey());
        var init = ScriptedPeer.Transaction("tx-init", "ch", null, "init");
        init.Type = MessageType.Init;
        peer.Send(init);
        var completed = await peer.ReceiveAsync();
        Assert.Equal(MessageType.Completed, completed.Type);
        Assert.Equal("init", Response.Parser.ParseFrom(completed.Payload).Payload.ToStringUtf8());
    }

    [Fact]
    public async Task Two_transactions_in_flight_get_answers_by_channel_and_txid_in_any_order()
    {
        await using var peer = await ScriptedPeer.ConnectedAsync(ReadKey());
        // Same txid on two channels is two transactions; a third has its own txid.
        peer.Send(ScriptedPeer.Transaction("tx-a", "ch1", null, "get", "a"));
        var getA = await peer.ReceiveAsync();
        peer.Send(ScriptedPeer.Transaction("tx-a", "ch2", null, "get", "b"));
        var getB = await peer.ReceiveAsync();
        peer.Send(ScriptedPeer.Transaction("tx-c", "ch1", null, "get", "c"));
        var getC = await peer.ReceiveAsync();
        Assert.Equal(["a", "b", "c"], new[] { getA, getB, getC }.Select(m => GetState.Parser.ParseFrom(m.Payload).Key));

        // Answer in reverse order; each transaction must complete with its own value.
        peer.Send(ScriptedPeer.AnswerRaw(getC, "value-c"u8.ToArray()));
        peer.Send(ScriptedPeer.AnswerRaw(getB, "value-b"u8.ToArray()));
        peer.Send(ScriptedPeer.AnswerRaw(getA, "value-a"u8.ToArray()));
        var completed = new[] { await peer.ReceiveAsync(), await peer.ReceiveAsync(), await peer.ReceiveAsync() };
        Assert.All(completed, m => Assert.Equal(MessageType.Completed, m.Type));
        var results = completed.ToDictionary(m => (m.ChannelId, m.Txid), m => Response.Parser.ParseFrom(m.Payload).Payload.ToStringUtf8());
        Assert.Equal("value-a", results[("ch1", "tx-a")]);
        Assert.Equal("value-b", results[("ch2", "tx-a")]);
        Assert.Equal("value-c", results[("ch1", "tx-c")]);
    }

    [Fact]
    public async Task Concurrent_requests_of_one_transaction_reach_the_peer_one_at_a_time()
    {
        var chaincode = new LambdaChaincode(async stub =>
        {
            var values = await Task.WhenAll(stub.GetStateAsync("x"), stub.GetStateAsync("y"));
            return ChaincodeResponse.Success(values.SelectMany(v => v).ToArray());
        });
        await using var peer = await ScriptedPeer.ConnectedAsync(chaincode);
        peer.Send(ScriptedPeer.Transaction("tx", "ch", null, "f"));
        var first = await peer.ReceiveAsync();
        Assert.True(peer.NothingPending, "A second request of the same transaction was sent before the first was answered.");
        peer.Send(ScriptedPeer.AnswerRaw(first, [1]));
        var second = await peer.ReceiveAsync();
        Assert.NotEqual(GetState.Parser.ParseFrom(first.Payload).Key, GetState.Parser.ParseFrom(second.Payload).Key);
        peer.Send(ScriptedPeer.AnswerRaw(second, [2]));
        var completed = await peer.ReceiveAsync();
        Assert.Equal(MessageType.Completed, completed.Type);
        Assert.Equal(2, Response.Parser.ParseFrom(completed.Payload).Payload.Length);
    }

    [Fact]
    public async Task A_duplicate_txid_while_the_first_runs_is_refused_without_disturbing_the_first()
    {
        await using var peer = await ScriptedPeer.ConnectedAsync(ReadKey());
        peer.Send(ScriptedPeer.Transaction("tx", "ch", null, "get", "k"));
        var get = await peer.ReceiveAsync();
        peer.Send(ScriptedPeer.Transaction("tx", "ch", null, "get", "k"));
        var refused = await peer.ReceiveAsync();
        Assert.Equal(MessageType.Error, refused.Type);
        Assert.Contains("already running", refused.Payload.ToStringUtf8());
        peer.Send(ScriptedPeer.AnswerRaw(get, "v"u8.ToArray()));
        Assert.Equal(MessageType.Completed, (await peer.ReceiveAsync()).Type);
    }

    [Fact]
    public async Task Throwing_or_returning_null_completes_with_status_500_and_later_transactions_still_run()
    {
        var calls = 0;
        var chaincode = new LambdaChaincode(stub => ++calls switch
        {
            1 => throw new InvalidOperationException("bug in contract"),
            2 => Task.FromResult<ChaincodeResponse>(null!),
            _ => Task.FromResult(ChaincodeResponse.Success("ok"u8.ToArray())),
        });
        await using var peer = await ScriptedPeer.ConnectedAsync(chaincode);
        foreach (var (txId, status, message) in new[] { ("t1", 500, "bug in contract"), ("t2", 500, "Chaincode Invoke returned no response."), ("t3", 200, "") })
        {
            peer.Send(ScriptedPeer.Transaction(txId, "ch", null, "f"));
            var completed = await peer.ReceiveAsync();
            Assert.Equal(MessageType.Completed, completed.Type);
            var response = Response.Parser.ParseFrom(completed.Payload);
            Assert.Equal((status, message), (response.Status, response.Message));
        }
    }

    [Fact]
    public async Task A_malformed_transaction_payload_is_answered_with_error()
    {
        await using var peer = await ScriptedPeer.ConnectedAsync(ReadKey());
        peer.Send(new ChaincodeMessage { Type = MessageType.Transaction, Txid = "bad", ChannelId = "ch", Payload = ByteString.CopyFrom(0xFF, 0xFF, 0xFF) });
        var error = await peer.ReceiveAsync();
        Assert.Equal((MessageType.Error, "bad"), (error.Type, error.Txid));

        var badProposal = ScriptedPeer.Transaction("bad2", "ch", new SignedProposal { ProposalBytes = ByteString.CopyFrom(0x0A, 0x05) }, "get", "k");
        peer.Send(badProposal);
        var error2 = await peer.ReceiveAsync();
        Assert.Equal((MessageType.Error, "bad2"), (error2.Type, error2.Txid));
    }

    [Fact]
    public async Task A_peer_error_reaches_the_contract_with_the_peers_text()
    {
        await using var peer = await ScriptedPeer.ConnectedAsync(new ContractRouter(new Replay.KvccContract()));
        peer.Send(ScriptedPeer.Transaction("tx", "ch", TestProposals.Simple(), "richQuery", "{}"));
        var query = await peer.ReceiveAsync();
        Assert.Equal(MessageType.GetQueryResult, query.Type);
        peer.Send(ScriptedPeer.AnswerRaw(query, "ExecuteQuery not supported for leveldb"u8.ToArray(), MessageType.Error));
        var completed = Response.Parser.ParseFrom((await peer.ReceiveAsync()).Payload);
        Assert.Equal((500, "ExecuteQuery not supported for leveldb"), (completed.Status, completed.Message));
    }

    [Fact]
    public async Task Closing_the_stream_releases_a_transaction_waiting_for_the_peer()
    {
        var failure = new TaskCompletionSource<Exception>();
        var chaincode = new LambdaChaincode(async stub =>
        {
            try
            {
                await stub.GetStateAsync("k");
            }
            catch (Exception e)
            {
                failure.TrySetResult(e);
                throw;
            }
            return ChaincodeResponse.Success([]);
        });
        var peer = await ScriptedPeer.ConnectedAsync(chaincode);
        peer.Send(ScriptedPeer.Transaction("tx", "ch", null, "f"));
        Assert.Equal(MessageType.GetState, (await peer.ReceiveAsync()).Type);
        await peer.CloseAsync(); // returns only when the handler has finished, waiting transaction included
        var error = await failure.Task.WaitAsync(ScriptedPeer.Patience);
        Assert.Contains("connection to the peer closed", error.Message);
        await peer.DisposeAsync();
    }

    [Fact]
    public async Task A_stray_response_is_ignored()
    {
        await using var peer = await ScriptedPeer.ConnectedAsync(ReadKey());
        peer.Send(new ChaincodeMessage { Type = MessageType.Response, Txid = "nobody", ChannelId = "ch" });
        peer.Send(ScriptedPeer.Transaction("tx", "ch", null, "get", "k"));
        var get = await peer.ReceiveAsync();
        Assert.Equal(MessageType.GetState, get.Type);
        peer.Send(ScriptedPeer.AnswerRaw(get, "v"u8.ToArray()));
        Assert.Equal("v", Response.Parser.ParseFrom((await peer.ReceiveAsync()).Payload).Payload.ToStringUtf8());
    }

    [Fact]
    public async Task The_event_set_last_travels_with_COMPLETED()
    {
        var chaincode = new LambdaChaincode(stub =>
        {
            stub.SetEvent("First", [1]);
            stub.SetEvent("Redeemed", Encoding.UTF8.GetBytes("{\"id\":\"r1\"}"));
            return Task.FromResult(ChaincodeResponse.Success([]));
        });
        await using var peer = await ScriptedPeer.ConnectedAsync(chaincode);
        peer.Send(ScriptedPeer.Transaction("tx", "ch", null, "f"));
        var completed = await peer.ReceiveAsync();
        Assert.Equal("Redeemed", completed.ChaincodeEvent.EventName);
        Assert.Equal("{\"id\":\"r1\"}", completed.ChaincodeEvent.Payload.ToStringUtf8());
        Assert.Equal("", completed.ChaincodeEvent.TxId); // the peer fills it in
    }
}
