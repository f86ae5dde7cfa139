using System.Threading.Channels;
using Fabric.Shim.Handler;
using Fabric.Shim.Stub;
using Fabric.Shim.Tests.Support;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Tests.Unit;

/// <summary>
/// When the peer half-closes while the chaincode is writing, the write under way is not cancelled: on the gRPC server
/// a cancelled write resets the whole stream (INTERNAL_ERROR), which the protobuf fuzzer saw after its half-close.
/// </summary>
public sealed class HalfCloseTests
{
    /// <summary>A stream whose first GET_STATE write waits for the test, remembering whether that write was cancelled.</summary>
    private sealed class GatedStream : IChaincodeMessageStream
    {
        private readonly Channel<ChaincodeMessage> _fromPeer = Channel.CreateUnbounded<ChaincodeMessage>();
        private int _gated;
        public readonly TaskCompletionSource WriteStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool WriteCancelled;

        public IAsyncEnumerable<ChaincodeMessage> ReadAllAsync(CancellationToken cancellationToken) => _fromPeer.Reader.ReadAllAsync(cancellationToken);

        public async Task WriteAsync(ChaincodeMessage message, CancellationToken cancellationToken)
        {
            if (message.Type != MessageType.GetState || Interlocked.Exchange(ref _gated, 1) == 1) return;
            WriteStarted.TrySetResult();
            try
            {
                await Release.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                WriteCancelled = true;
                throw;
            }
        }

        public void PeerSends(ChaincodeMessage message) => _fromPeer.Writer.TryWrite(message);
        public void PeerHalfCloses() => _fromPeer.Writer.TryComplete();
    }

    [Fact]
    public async Task A_write_under_way_when_the_peer_half_closes_completes_uncancelled()
    {
        var secondGaveUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var chaincode = new ScriptedChaincode(async stub =>
        {
            try
            {
                return ChaincodeResponse.Success(await stub.GetStateAsync("k"));
            }
            catch (Exception) when (stub.TxId == "tx-2")
            {
                secondGaveUp.TrySetResult(); // its request failed because the peer's side ended: the handler has closed
                throw;
            }
        });
        var stream = new GatedStream();
        var running = new ChaincodeHandler("cc:1", chaincode).RunAsync(stream);
        stream.PeerSends(new ChaincodeMessage { Type = MessageType.Registered });
        stream.PeerSends(new ChaincodeMessage { Type = MessageType.Ready });
        stream.PeerSends(ScriptedPeer.Transaction("tx-1", "ch", null, "get"));
        await stream.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        stream.PeerSends(ScriptedPeer.Transaction("tx-2", "ch", null, "get"));

        stream.PeerHalfCloses();
        await secondGaveUp.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(stream.WriteCancelled);
        stream.Release.SetResult();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(stream.WriteCancelled);
    }

    private sealed class ScriptedChaincode(Func<IChaincodeStub, Task<ChaincodeResponse>> invoke) : IChaincode
    {
        public Task<ChaincodeResponse> InitAsync(IChaincodeStub stub) => invoke(stub);
        public Task<ChaincodeResponse> InvokeAsync(IChaincodeStub stub) => invoke(stub);
    }
}
