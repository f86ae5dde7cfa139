using Fabric.Shim.Contracts;
using Fabric.Shim.Tests.Support;
using Protos;

namespace Fabric.Shim.Tests.Replay;

/// <summary>
/// Feeds the peer's recorded messages of every transcript captured from a real Fabric 2.5.5 peer into our
/// handler running the C# twin of the recorded contract, and checks that our shim sends exactly the bytes the
/// Node shim (fabric-shim 2.5.8) sent: same message types, txids, channels, keys, iterator ids, responses and events.
/// </summary>
public sealed class TranscriptReplayTests
{
    public static TheoryData<string> Transactions => new(Transcript.All.Where(t => t != "00-handshake"));

    [Fact]
    public void Every_recorded_transcript_is_replayed()
    {
        var onDisk = Directory.GetDirectories(Path.Combine(Vectors.Root, "chaincode")).Select(Path.GetFileName).Order();
        Assert.Equal(Transcript.All.Order(), onDisk);
    }

    [Fact]
    public async Task Handshake_registers_with_the_recorded_package_id()
    {
        var handshake = Transcript.Load("00-handshake");
        await using var peer = new ScriptedPeer(new ContractRouter(new KvccContract()), RecordedPackageId(handshake));
        await ReplayAsync(peer, handshake);
        await peer.CloseAsync();
        Assert.True(peer.NothingPending, "The chaincode sent more than the recorded handshake.");
    }

    [Theory]
    [MemberData(nameof(Transactions))]
    public async Task Shim_answers_recorded_peer_messages_with_the_bytes_the_Node_shim_sent(string name)
    {
        var handshake = Transcript.Load("00-handshake");
        await using var peer = new ScriptedPeer(new ContractRouter(new KvccContract()), RecordedPackageId(handshake));
        await ReplayAsync(peer, handshake);
        await ReplayAsync(peer, Transcript.Load(name));
        await peer.CloseAsync();
        Assert.True(peer.NothingPending, $"The chaincode sent more than {name} recorded.");
    }

    [Fact]
    public async Task The_whole_recorded_connection_replays_on_one_stream()
    {
        var handshake = Transcript.Load("00-handshake");
        await using var peer = new ScriptedPeer(new ContractRouter(new KvccContract()), RecordedPackageId(handshake));
        foreach (var name in Transcript.All)
            await ReplayAsync(peer, Transcript.Load(name));
        await peer.CloseAsync();
        Assert.True(peer.NothingPending);
    }

    [Theory]
    [InlineData("04-move", "05-range")]
    [InlineData("06-range-multibatch", "10-history")]
    [InlineData("13-fail", "03-seed")]
    public async Task Two_recorded_transactions_interleaved_on_one_stream_each_get_their_own_answers(string first, string second)
    {
        var handshake = Transcript.Load("00-handshake");
        await using var peer = new ScriptedPeer(new ContractRouter(new KvccContract()), RecordedPackageId(handshake));
        await ReplayAsync(peer, handshake);

        // Each peer message releases exactly one chaincode message of the same transaction, so alternating
        // steps of the two transcripts keeps both transactions in flight at once with a deterministic order.
        var steps = new[] { Steps(Transcript.Load(first)), Steps(Transcript.Load(second)) };
        var positions = new int[2];
        while (positions[0] < steps[0].Count || positions[1] < steps[1].Count)
            for (var side = 0; side < 2; side++)
                if (positions[side] < steps[side].Count)
                    await ReplayStepAsync(peer, steps[side][positions[side]++], side == 0 ? first : second);

        await peer.CloseAsync();
        Assert.True(peer.NothingPending);
    }

    private static string RecordedPackageId(Transcript handshake) =>
        ChaincodeID.Parser.ParseFrom(ChaincodeMessage.Parser.ParseFrom(handshake.Messages[0].Bytes).Payload).Name;

    private static async Task ReplayAsync(ScriptedPeer peer, Transcript transcript)
    {
        foreach (var step in Steps(transcript))
            await ReplayStepAsync(peer, step, transcript.Name);
    }

    /// <summary>Groups a transcript into steps: peer messages, then the chaincode messages that answer them.</summary>
    private static List<(IReadOnlyList<RecordedMessage> FromPeer, IReadOnlyList<RecordedMessage> FromChaincode)> Steps(Transcript transcript)
    {
        var steps = new List<(IReadOnlyList<RecordedMessage>, IReadOnlyList<RecordedMessage>)>();
        var fromPeer = new List<RecordedMessage>();
        var fromChaincode = new List<RecordedMessage>();
        foreach (var message in transcript.Messages)
        {
            if (message.FromPeer && fromChaincode.Count > 0)
            {
                steps.Add((fromPeer, fromChaincode));
                (fromPeer, fromChaincode) = (new List<RecordedMessage>(), new List<RecordedMessage>());
            }
            (message.FromPeer ? fromPeer : fromChaincode).Add(message);
        }
        steps.Add((fromPeer, fromChaincode));
        return steps;
    }

    private static async Task ReplayStepAsync(ScriptedPeer peer, (IReadOnlyList<RecordedMessage> FromPeer, IReadOnlyList<RecordedMessage> FromChaincode) step, string transcript)
    {
        foreach (var message in step.FromPeer)
            peer.SendBytes(message.Bytes);
        foreach (var expected in step.FromChaincode)
            RecordedMessageAssert.Same(expected, await peer.ReceiveBytesAsync(), transcript);
    }
}
