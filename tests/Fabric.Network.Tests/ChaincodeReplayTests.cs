using Fabric.Network.Endorsing;
using Fabric.Network.Ledger;
using Fabric.Network.Tests.Support;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Tests;

/// <summary>
/// The recorded chaincode requests of a real Fabric 2.5.5 peer session, answered by this network's
/// request handler: the answers must be the bytes the real peer sent (or, for range queries, the same
/// results under a different iterator id).
/// </summary>
public class ChaincodeReplayTests
{
    private static ChaincodeMessage Message(string folder, string file) =>
        ChaincodeMessage.Parser.ParseFrom(Vectors.Bytes(Path.Combine("chaincode", folder, file)));

    private static TxSimulator Simulator(params (string Key, string Value)[] state)
    {
        var world = new WorldState();
        var batch = new UpdateBatch();
        foreach (var (key, value) in state)
            batch.Add(new StateUpdate("kvcc", key, new VersionedValue(ByteString.CopyFromUtf8(value), VersionedValue.NoMetadata, new Ledger.Version(1, 0)), true, "seed"));
        world.Apply(batch);
        return new TxSimulator(world, new HistoryIndex(), "kvcc");
    }

    [Theory]
    [InlineData("01-put-v1", "002-cc-to-peer.bin", "003-peer-to-cc.bin")]
    [InlineData("04-move", "002-cc-to-peer.bin", "003-peer-to-cc.bin")]
    [InlineData("04-move", "004-cc-to-peer.bin", "005-peer-to-cc.bin")]
    [InlineData("04-move", "006-cc-to-peer.bin", "007-peer-to-cc.bin")]
    [InlineData("15-get", "002-cc-to-peer.bin", "003-peer-to-cc.bin")]
    [InlineData("16-mvcc-a", "002-cc-to-peer.bin", "003-peer-to-cc.bin")]
    [InlineData("14-richquery-error", "002-cc-to-peer.bin", "003-peer-to-cc.bin")]
    public void Answers_are_the_bytes_a_Fabric_peer_sent(string folder, string request, string recordedAnswer)
    {
        // State as it was when the capture ran: asset1 held v2 before the move, asset2 v2 after it.
        var simulator = Simulator(("asset1", "v2"), ("asset2", "v2"));
        var answer = ChaincodeRequestHandler.Handle(Message(folder, request), simulator);
        Assert.Equal(Vectors.Bytes(Path.Combine("chaincode", folder, recordedAnswer)), answer.ToByteArray());
    }

    [Fact]
    public void Range_answers_carry_the_same_results_as_Fabrics()
    {
        var simulator = Simulator(("range:a", "value-a"), ("range:b", "value-b"), ("range:c", "value-c"), ("range:d", "value-d"), ("range:e", "value-e"));
        var answer = ChaincodeRequestHandler.Handle(Message("05-range", "002-cc-to-peer.bin"), simulator);
        var recorded = Message("05-range", "003-peer-to-cc.bin");
        Assert.Equal(recorded.Type, answer.Type);
        Assert.Equal(recorded.Txid, answer.Txid);
        var ours = QueryResponse.Parser.ParseFrom(answer.Payload);
        var theirs = QueryResponse.Parser.ParseFrom(recorded.Payload);
        Assert.Equal(theirs.Results, ours.Results);
        Assert.Equal(theirs.HasMore, ours.HasMore);
        Assert.True(Guid.TryParse(ours.Id, out _));

        var close = Message("05-range", "004-cc-to-peer.bin");
        close.Payload = new QueryStateClose { Id = ours.Id }.ToByteString();
        var closed = QueryResponse.Parser.ParseFrom(ChaincodeRequestHandler.Handle(close, simulator).Payload);
        Assert.Equal(ours.Id, closed.Id);
        Assert.Empty(closed.Results);
    }

    [Fact]
    public void Pagination_answers_carry_Fabrics_bookmark_and_count()
    {
        var simulator = Simulator(("range:a", "value-a"), ("range:b", "value-b"), ("range:c", "value-c"), ("range:d", "value-d"), ("range:e", "value-e"));
        var answer = ChaincodeRequestHandler.Handle(Message("07-range-page1", "002-cc-to-peer.bin"), simulator);
        var recorded = QueryResponse.Parser.ParseFrom(Message("07-range-page1", "003-peer-to-cc.bin").Payload);
        var ours = QueryResponse.Parser.ParseFrom(answer.Payload);
        Assert.Equal(recorded.Results, ours.Results);
        Assert.Equal(QueryResponseMetadata.Parser.ParseFrom(recorded.Metadata), QueryResponseMetadata.Parser.ParseFrom(ours.Metadata));
    }
}
