using Fabric.Shim.Handler;
using Google.Protobuf;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Tests.Support;

/// <summary>
/// Plays the peer against a <see cref="ChaincodeHandler"/> on an in-memory stream: send what the peer would
/// send, and read what the chaincode answers, with a timeout so that a missing answer fails instead of hanging.
/// </summary>
public sealed class ScriptedPeer : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly InMemoryMessageStream _stream = new();
    private readonly CancellationTokenSource _stop = new();

    public ScriptedPeer(IChaincode chaincode, string chaincodeId = "testcc_1.0:0123")
    {
        Handler = new ChaincodeHandler(chaincodeId, chaincode);
        Running = Task.Run(() => Handler.RunAsync(_stream, _stop.Token));
    }

    public ChaincodeHandler Handler { get; }
    public Task Running { get; }

    public static async Task<ScriptedPeer> ConnectedAsync(IChaincode chaincode, string chaincodeId = "testcc_1.0:0123")
    {
        var peer = new ScriptedPeer(chaincode, chaincodeId);
        var register = await peer.ReceiveAsync();
        Assert.Equal(MessageType.Register, register.Type);
        peer.Send(new ChaincodeMessage { Type = MessageType.Registered });
        peer.Send(new ChaincodeMessage { Type = MessageType.Ready });
        return peer;
    }

    public void Send(ChaincodeMessage message) => _stream.PeerSends(message.ToByteArray());
    public void SendBytes(byte[] message) => _stream.PeerSends(message);

    public async Task<byte[]> ReceiveBytesAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            return await _stream.FromChaincode.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The chaincode sent nothing within {Patience.TotalSeconds} s.");
        }
    }

    public async Task<ChaincodeMessage> ReceiveAsync() => ChaincodeMessage.Parser.ParseFrom(await ReceiveBytesAsync());

    /// <summary>True when the chaincode has sent nothing more (used after the fact, not as a wait).</summary>
    public bool NothingPending => !_stream.FromChaincode.TryPeek(out _);

    public static ChaincodeMessage Transaction(string txId, string channel, SignedProposal? proposal, params string[] args)
    {
        var input = new ChaincodeInput();
        input.Args.AddRange(args.Select(ByteString.CopyFromUtf8));
        var message = new ChaincodeMessage { Type = MessageType.Transaction, Txid = txId, ChannelId = channel, Payload = input.ToByteString() };
        if (proposal is not null) message.Proposal = proposal;
        return message;
    }

    public static ChaincodeMessage Answer(ChaincodeMessage request, IMessage? payload = null, MessageType type = MessageType.Response) => new()
    {
        Type = type,
        Txid = request.Txid,
        ChannelId = request.ChannelId,
        Payload = payload?.ToByteString() ?? ByteString.Empty,
    };

    public static ChaincodeMessage AnswerRaw(ChaincodeMessage request, byte[] payload, MessageType type = MessageType.Response) => new()
    {
        Type = type,
        Txid = request.Txid,
        ChannelId = request.ChannelId,
        Payload = ByteString.CopyFrom(payload),
    };

    /// <summary>The peer closes the stream; the handler must return.</summary>
    public async Task CloseAsync()
    {
        _stream.PeerCompletes();
        await Running.WaitAsync(Patience);
    }

    public async ValueTask DisposeAsync()
    {
        _stream.PeerCompletes();
        _stop.CancelAfter(Patience);
        try { await Running.WaitAsync(Patience); } catch { /* the test already reported what mattered */ }
        _stop.Dispose();
    }
}
