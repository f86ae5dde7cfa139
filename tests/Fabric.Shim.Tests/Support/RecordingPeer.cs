using Fabric.Shim.Handler;
using Google.Protobuf;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Tests.Support;

/// <summary>A peer for stub tests: records each request and answers from a script (empty RESPONSE by default).</summary>
internal sealed class RecordingPeer : IPeerRequester
{
    private readonly Queue<Func<MessageType, IMessage, ByteString>> _answers = new();

    public List<(MessageType Type, IMessage Payload)> Requests { get; } = new();

    public RecordingPeer Then(IMessage answer) => Then((_, _) => answer.ToByteString());
    public RecordingPeer ThenRaw(byte[] answer) => Then((_, _) => ByteString.CopyFrom(answer));
    public RecordingPeer ThenError(string text) => Then((_, _) => throw new PeerErrorException(text));

    public RecordingPeer Then(Func<MessageType, IMessage, ByteString> answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    public Task<ByteString> RequestAsync(MessageType type, IMessage payload, CancellationToken cancellationToken)
    {
        Requests.Add((type, payload));
        return Task.FromResult(_answers.Count > 0 ? _answers.Dequeue()(type, payload) : ByteString.Empty);
    }

    public static Stub.ChaincodeStub Stub(RecordingPeer peer, SignedProposal? proposal, params string[] args)
    {
        var input = new ChaincodeInput();
        input.Args.AddRange(args.Select(ByteString.CopyFromUtf8));
        return new Stub.ChaincodeStub(peer, "mychannel", "tx-1", input, proposal);
    }
}
