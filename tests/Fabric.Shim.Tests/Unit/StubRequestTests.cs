using System.Buffers.Binary;
using System.Security.Cryptography;
using Fabric.Shim.Handler;
using Fabric.Shim.Stub;
using Fabric.Shim.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Tests.Unit;

/// <summary>What the stub asks the peer for each operation, and how it reads the answers.</summary>
public sealed class StubRequestTests
{
    private static ChaincodeStub Stub(RecordingPeer peer) => RecordingPeer.Stub(peer, null, "f", "p1", "p2");

    private static QueryResponse Batch(string id, bool hasMore, params (string Key, string Value)[] results)
    {
        var response = new QueryResponse { Id = id, HasMore = hasMore };
        response.Results.AddRange(results.Select(r => new QueryResultBytes
        {
            ResultBytes = new Queryresult.KV { Namespace = "cc", Key = r.Key, Value = ByteString.CopyFromUtf8(r.Value) }.ToByteString(),
        }));
        return response;
    }

    [Fact]
    public void Arguments_function_and_parameters_come_from_the_input()
    {
        var stub = Stub(new RecordingPeer());
        Assert.Equal("f", stub.Function);
        Assert.Equal(["p1", "p2"], stub.Parameters);
        Assert.Equal(3, stub.Args.Count);
    }

    [Fact]
    public void Creator_binding_transient_and_timestamp_come_from_the_signed_proposal()
    {
        var creator = TestProposals.Creator("Org1MSP", TestProposals.Certificate());
        byte[] nonce = [9, 8, 7, 6];
        var when = new DateTimeOffset(2026, 11, 21, 12, 23, 42, 804, TimeSpan.Zero);
        var proposal = TestProposals.Create(creator, nonce, epoch: 3, timestamp: when, transient: new Dictionary<string, byte[]> { ["secret"] = [1, 2] });
        var stub = RecordingPeer.Stub(new RecordingPeer(), proposal, "f");

        Assert.Equal(creator, stub.Creator);
        var epoch = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(epoch, 3);
        Assert.Equal(SHA256.HashData([.. nonce, .. creator, .. epoch]), stub.Binding);
        Assert.Equal(new byte[] { 1, 2 }, stub.Transient["secret"]);
        Assert.Equal(when, stub.TxTimestamp);
        Assert.Same(proposal, stub.SignedProposal);
    }

    [Fact]
    public void The_recorded_transient_proposal_yields_its_transient_map()
    {
        var transaction = ChaincodeMessage.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Vectors.Chaincode("12-transient"), "001-peer-to-cc.bin")));
        var stub = new ChaincodeStub(new RecordingPeer(), transaction.ChannelId, transaction.Txid, ChaincodeInput.Parser.ParseFrom(transaction.Payload), transaction.Proposal);
        Assert.Equal(["note", "secret"], stub.Transient.Keys.Order());
        Assert.Equal("opensesame", System.Text.Encoding.UTF8.GetString(stub.Transient["secret"]));
        Assert.True(stub.TxTimestamp.Year >= 2026);
    }

    [Fact]
    public async Task Private_data_operations_name_their_collection()
    {
        var peer = new RecordingPeer().ThenRaw("secret"u8.ToArray()).ThenRaw([0xAB]);
        var stub = Stub(peer);
        Assert.Equal("secret"u8.ToArray(), await stub.GetPrivateDataAsync("pdc", "k"));
        Assert.Equal(new byte[] { 0xAB }, await stub.GetPrivateDataHashAsync("pdc", "k"));
        await stub.PutPrivateDataAsync("pdc", "k", [1]);
        await stub.DeletePrivateDataAsync("pdc", "k");
        await stub.PurgePrivateDataAsync("pdc", "k");

        Assert.Equal([MessageType.GetState, MessageType.GetPrivateDataHash, MessageType.PutState, MessageType.DelState, (MessageType)23], peer.Requests.Select(r => r.Type));
        Assert.All(peer.Requests, r => Assert.Contains("\"collection\": \"pdc\"", r.Payload.ToString()));
        // PURGE_PRIVATE_DATA's PurgePrivateState{key = 1, collection = 2} has DelState's layout.
        Assert.Equal(new DelState { Key = "k", Collection = "pdc" }.ToByteArray(), peer.Requests[4].Payload.ToByteArray());
        await Assert.ThrowsAsync<ArgumentException>(() => stub.GetPrivateDataAsync("", "k"));
        await Assert.ThrowsAsync<ArgumentException>(() => stub.PutPrivateDataAsync("pdc", "", [1]));
    }

    [Fact]
    public async Task Key_level_endorsement_policies_travel_as_VALIDATION_PARAMETER_state_metadata()
    {
        var stored = new StateMetadataResult();
        stored.Entries.Add(new StateMetadata { Metakey = "OTHER", Value = ByteString.CopyFromUtf8("x") });
        stored.Entries.Add(new StateMetadata { Metakey = "VALIDATION_PARAMETER", Value = ByteString.CopyFrom(5, 6) });
        var peer = new RecordingPeer().ThenRaw([]).Then(new StateMetadataResult()).Then(stored);
        var stub = Stub(peer);

        await stub.SetStateValidationParameterAsync("k", [1, 2, 3]);
        Assert.Empty(await stub.GetStateValidationParameterAsync("k"));
        Assert.Equal(new byte[] { 5, 6 }, await stub.GetPrivateDataValidationParameterAsync("pdc", "k"));

        var put = Assert.IsType<PutStateMetadata>(peer.Requests[0].Payload);
        Assert.Equal(MessageType.PutStateMetadata, peer.Requests[0].Type);
        Assert.Equal(("k", "", "VALIDATION_PARAMETER"), (put.Key, put.Collection, put.Metadata.Metakey));
        Assert.Equal(new byte[] { 1, 2, 3 }, put.Metadata.Value.ToByteArray());
        Assert.Equal(MessageType.GetStateMetadata, peer.Requests[1].Type);
        Assert.Equal("pdc", Assert.IsType<GetStateMetadata>(peer.Requests[2].Payload).Collection);
    }

    [Fact]
    public async Task An_empty_start_key_becomes_U_0001_and_composite_keys_are_refused_as_bounds()
    {
        var peer = new RecordingPeer().Then(Batch("it", false, ("a", "1")));
        var results = await Stub(peer).GetStateByRangeAsync("", "").ToListAsync();
        Assert.Equal("a", Assert.Single(results).Key);
        var request = Assert.IsType<GetStateByRange>(peer.Requests[0].Payload);
        Assert.Equal(("\u0001", ""), (request.StartKey, request.EndKey));
        Assert.Equal(MessageType.QueryStateClose, peer.Requests[1].Type);

        await Assert.ThrowsAsync<ArgumentException>(async () => await Stub(new RecordingPeer()).GetStateByRangeAsync("\0type\0", "z").ToListAsync());
    }

    [Fact]
    public async Task Batches_are_fetched_with_QUERY_STATE_NEXT_and_the_iterator_closed_even_when_left_early()
    {
        var peer = new RecordingPeer().Then(Batch("it-1", true, ("a", "1"), ("b", "2"))).Then(Batch("it-1", false, ("c", "3")));
        var keys = await Stub(peer).GetStateByRangeAsync("a", "z").Select(kv => kv.Key).ToListAsync();
        Assert.Equal(["a", "b", "c"], keys);
        Assert.Equal([MessageType.GetStateByRange, MessageType.QueryStateNext, MessageType.QueryStateClose], peer.Requests.Select(r => r.Type));
        Assert.Equal("it-1", Assert.IsType<QueryStateNext>(peer.Requests[1].Payload).Id);

        var early = new RecordingPeer().Then(Batch("it-2", true, ("a", "1"), ("b", "2")));
        await foreach (var _ in Stub(early).GetStateByRangeAsync("a", "z")) break;
        Assert.Equal([MessageType.GetStateByRange, MessageType.QueryStateClose], early.Requests.Select(r => r.Type));
        Assert.Equal("it-2", Assert.IsType<QueryStateClose>(early.Requests[1].Payload).Id);
    }

    [Fact]
    public async Task Pagination_sends_page_size_and_bookmark_and_reads_back_count_and_bookmark()
    {
        var page = Batch("it", false, ("range:a", "value-a"), ("range:b", "value-b"));
        page.Metadata = new QueryResponseMetadata { FetchedRecordsCount = 2, Bookmark = "range:c" }.ToByteString();
        var peer = new RecordingPeer().Then(page);
        var result = await Stub(peer).GetStateByPartialCompositeKeyWithPaginationAsync("color~name", ["blue"], 2, "bm");

        Assert.Equal((2, "range:c"), (result.FetchedRecordsCount, result.Bookmark));
        Assert.Equal(["range:a", "range:b"], result.Results.Select(r => r.Key));
        var request = Assert.IsType<GetStateByRange>(peer.Requests[0].Payload);
        Assert.Equal("\0color~name\0blue\0", request.StartKey);
        Assert.Equal("\0color~name\0blue\0\U0010FFFF", request.EndKey);
        var metadata = QueryMetadata.Parser.ParseFrom(request.Metadata);
        Assert.Equal((2, "bm"), (metadata.PageSize, metadata.Bookmark));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Stub(new RecordingPeer()).GetQueryResultWithPaginationAsync("{}", 0, ""));
    }

    [Fact]
    public async Task A_composite_key_range_asks_for_the_keys_from_its_first_to_its_last_attribute_both_included()
    {
        var peer = new RecordingPeer().Then(Batch("it", false, ("\0color~name\0blue\0b\0", "value-b")));
        var results = await Stub(peer).GetStateByCompositeKeyRangeAsync("color~name", ["blue"], "a", "c").ToListAsync();

        Assert.Equal(["\0color~name\0blue\0b\0"], results.Select(r => r.Key));
        var request = Assert.IsType<GetStateByRange>(peer.Requests[0].Payload);
        Assert.Equal("\0color~name\0blue\0a\0", request.StartKey);
        Assert.Equal("\0color~name\0blue\0c\0\U0010FFFF", request.EndKey);
        Assert.Throws<ArgumentException>(() => Stub(new RecordingPeer()).GetStateByCompositeKeyRangeAsync("color~name", ["blue"], "a\0", "c"));
    }

    [Fact]
    public async Task History_entries_carry_txid_value_delete_flag_and_time()
    {
        var when = new DateTimeOffset(2026, 11, 21, 12, 23, 44, 263, TimeSpan.Zero);
        var batch = new QueryResponse { Id = "h" };
        batch.Results.Add(new QueryResultBytes { ResultBytes = new Queryresult.KeyModification { TxId = "t2", IsDelete = true, Timestamp = Timestamp.FromDateTimeOffset(when) }.ToByteString() });
        batch.Results.Add(new QueryResultBytes { ResultBytes = new Queryresult.KeyModification { TxId = "t1", Value = ByteString.CopyFromUtf8("v1"), Timestamp = Timestamp.FromDateTimeOffset(when.AddSeconds(-2)) }.ToByteString() });
        var history = await Stub(new RecordingPeer().Then(batch)).GetHistoryForKeyAsync("asset1").ToListAsync();

        Assert.Equal(2, history.Count);
        Assert.Equal(("t2", true, when), (history[0].TxId, history[0].IsDelete, history[0].Timestamp));
        Assert.Equal(("t1", false, "v1"), (history[1].TxId, history[1].IsDelete, System.Text.Encoding.UTF8.GetString(history[1].Value)));
    }

    [Fact]
    public async Task Invoking_another_chaincode_names_it_with_its_channel_and_reads_the_nested_answer()
    {
        var completed = new ChaincodeMessage { Type = MessageType.Completed, Payload = new Response { Status = 200, Payload = ByteString.CopyFromUtf8("pong") }.ToByteString() };
        var failed = new ChaincodeMessage { Type = MessageType.Error, Payload = ByteString.CopyFromUtf8("chaincode other not found") };
        var peer = new RecordingPeer().Then(completed).Then(failed);
        var stub = Stub(peer);

        var response = await stub.InvokeChaincodeAsync("other", ["ping"u8.ToArray()], "otherchannel");
        Assert.Equal((200, "pong"), (response.Status, System.Text.Encoding.UTF8.GetString(response.Payload)));
        var spec = Assert.IsType<ChaincodeSpec>(peer.Requests[0].Payload);
        Assert.Equal("other/otherchannel", spec.ChaincodeId.Name);
        Assert.Equal("ping", spec.Input.Args[0].ToStringUtf8());

        var error = await Assert.ThrowsAsync<PeerErrorException>(() => stub.InvokeChaincodeAsync("other", [], ""));
        Assert.Equal("chaincode other not found", error.Message);
        Assert.Equal("other", Assert.IsType<ChaincodeSpec>(peer.Requests[1].Payload).ChaincodeId.Name);
    }

    [Fact]
    public async Task State_writes_refuse_empty_keys_and_events_empty_names()
    {
        var stub = Stub(new RecordingPeer());
        await Assert.ThrowsAsync<ArgumentException>(() => stub.PutStateAsync("", [1]));
        await Assert.ThrowsAsync<ArgumentException>(() => stub.DeleteStateAsync(""));
        Assert.Throws<ArgumentException>(() => stub.SetEvent("", []));
    }
}
