using Google.Protobuf;
using System.Threading.Channels;
using Fabric.Shim.Handler;
using Protos;

namespace Fabric.Shim.Tests.Support;

/// <summary>A chaincode stream in memory. Messages cross it as bytes, as on the wire, so no object is shared between the sides.</summary>
public sealed class InMemoryMessageStream : IChaincodeMessageStream
{
    private readonly Channel<byte[]> _toChaincode = Channel.CreateUnbounded<byte[]>();
    private readonly Channel<byte[]> _toPeer = Channel.CreateUnbounded<byte[]>();

    public async IAsyncEnumerable<ChaincodeMessage> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var bytes in _toChaincode.Reader.ReadAllAsync(cancellationToken))
            yield return ChaincodeMessage.Parser.ParseFrom(bytes);
    }

    public Task WriteAsync(ChaincodeMessage message, CancellationToken cancellationToken)
    {
        if (!_toPeer.Writer.TryWrite(message.ToByteArray())) throw new IOException("The peer side of the stream is closed.");
        return Task.CompletedTask;
    }

    /// <summary>The peer's side: send raw bytes to the chaincode.</summary>
    public void PeerSends(byte[] message) => _toChaincode.Writer.TryWrite(message);

    /// <summary>The peer half-closes the stream.</summary>
    public void PeerCompletes() => _toChaincode.Writer.TryComplete();

    public ChannelReader<byte[]> FromChaincode => _toPeer.Reader;
}
