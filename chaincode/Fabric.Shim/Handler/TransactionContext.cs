using Google.Protobuf;
using Protos;

namespace Fabric.Shim.Handler;

/// <summary>
/// One transaction in flight on a connection: its (channel, txid), and the stub request waiting for the peer's
/// answer. The peer serves one request per transaction at a time, so requests of one transaction are queued
/// here (a contract may still start several at once); requests of different transactions run in parallel.
/// </summary>
internal sealed class TransactionContext : IPeerRequester
{
    private readonly Func<ChaincodeMessage, CancellationToken, Task> _send;
    private readonly SemaphoreSlim _oneRequestAtATime = new(1, 1);
    private TaskCompletionSource<ChaincodeMessage>? _pending;

    public TransactionContext(string channelId, string txId, Func<ChaincodeMessage, CancellationToken, Task> send, CancellationToken connectionClosed)
    {
        ChannelId = channelId;
        TxId = txId;
        _send = send;
        ConnectionClosed = connectionClosed;
    }

    public string ChannelId { get; }
    public string TxId { get; }

    /// <summary>Cancelled when the stream to the peer ends: no answer can come any more.</summary>
    public CancellationToken ConnectionClosed { get; }

    public async Task<ByteString> RequestAsync(ChaincodeMessage.Types.Type type, IMessage payload, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ConnectionClosed);
        await _oneRequestAtATime.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            var answer = new TaskCompletionSource<ChaincodeMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _pending, answer); // before sending: the answer may arrive before SendAsync returns
            await _send(new ChaincodeMessage { Type = type, Payload = payload.ToByteString(), Txid = TxId, ChannelId = ChannelId }, linked.Token).ConfigureAwait(false);
            var response = await answer.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            return response.Type switch
            {
                ChaincodeMessage.Types.Type.Response => response.Payload,
                ChaincodeMessage.Types.Type.Error => throw new PeerErrorException(response.Payload.ToStringUtf8()),
                _ => throw new InvalidOperationException($"The peer answered {type} with {response.Type}; expected RESPONSE or ERROR."),
            };
        }
        catch (OperationCanceledException) when (ConnectionClosed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"The connection to the peer closed while {type} of transaction {TxId} waited for an answer.");
        }
        finally
        {
            Volatile.Write(ref _pending, null);
            _oneRequestAtATime.Release();
        }
    }

    /// <summary>Hands the peer's RESPONSE or ERROR to the waiting request; false when none was waiting.</summary>
    public bool Deliver(ChaincodeMessage answer)
    {
        var pending = Interlocked.Exchange(ref _pending, null);
        return pending is not null && pending.TrySetResult(answer);
    }
}
