using System.Threading.Channels;
using Common;
using Fabric.Network.Blocks;
using Fabric.Network.Configuration;
using Fabric.Protocol.Identity;
using Google.Protobuf;

namespace Fabric.Network.Ordering;

/// <summary>
/// The ordering stage (one orderer, no Raft): accepts envelopes in arrival order, cuts them into blocks
/// by count, size and batch timeout, numbers and chains the blocks, signs each with the orderer's
/// identity and hands it to the committer.
/// </summary>
public sealed class OrderingService : IAsyncDisposable
{
    private readonly Channel<ByteString> _incoming = Channel.CreateUnbounded<ByteString>(new UnboundedChannelOptions { SingleReader = true });
    private readonly BatchSettings _settings;
    private readonly X509Identity _identity;
    private readonly ISigner _signer;
    private readonly Func<Block, CancellationToken, ValueTask> _deliver;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private ulong _nextNumber;
    private byte[] _previousHash;

    public OrderingService(BatchSettings settings, X509Identity identity, ISigner signer, ulong nextNumber, byte[] previousHeaderHash, Func<Block, CancellationToken, ValueTask> deliver)
    {
        _settings = settings;
        _identity = identity;
        _signer = signer;
        _deliver = deliver;
        _nextNumber = nextNumber;
        _previousHash = previousHeaderHash;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Blocks the loop emitted so far (the next block's number).</summary>
    public ulong NextBlockNumber => Interlocked.Read(ref _nextNumber);

    /// <summary>Accepts an envelope for ordering (Broadcast's SUCCESS); throws if it is larger than AbsoluteMaxBytes.</summary>
    public void Submit(ByteString envelope)
    {
        if (envelope.Length > _settings.AbsoluteMaxBytes)
            throw new ArgumentException($"message payload is {envelope.Length} bytes and exceeds maximum allowed {_settings.AbsoluteMaxBytes} bytes"); // Fabric's size filter says so
        if (!_incoming.Writer.TryWrite(envelope)) throw new InvalidOperationException("the ordering service is stopped.");
    }

    public async ValueTask DisposeAsync()
    {
        _incoming.Writer.TryComplete();
        _stop.Cancel();
        try { await _loop.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var cutter = new BlockCutter(_settings);
        var timeout = TimeSpan.FromMilliseconds(_settings.BatchTimeoutMs);
        DateTime? deadline = null;
        var reader = _incoming.Reader;
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            bool available;
            if (deadline is { } d)
            {
                var wait = d - DateTime.UtcNow;
                if (wait <= TimeSpan.Zero)
                {
                    await EmitAsync(cutter.Cut(), token).ConfigureAwait(false);
                    deadline = null;
                    continue;
                }
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(token);
                timer.CancelAfter(wait);
                try { available = await reader.WaitToReadAsync(timer.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!token.IsCancellationRequested) { continue; }
            }
            else
            {
                available = await reader.WaitToReadAsync(token).ConfigureAwait(false);
            }
            if (!available) break;
            while (reader.TryRead(out var envelope))
            {
                foreach (var batch in cutter.Ordered(envelope)) await EmitAsync(batch, token).ConfigureAwait(false);
                if (!cutter.HasPending) deadline = null;
                else deadline ??= DateTime.UtcNow + timeout;
            }
        }
    }

    private async ValueTask EmitAsync(IReadOnlyList<ByteString> envelopes, CancellationToken token)
    {
        if (envelopes.Count == 0) return;
        var block = BlockFactory.Create(_nextNumber, _previousHash, envelopes);
        block.Metadata.Metadata[(int)BlockMetadataIndex.Signatures] = BlockSigner.Sign(block, 0, _identity, _signer).ToByteString();
        _previousHash = Fabric.Protocol.Ledger.BlockHeaderHash.Compute(block.Header);
        Interlocked.Increment(ref _nextNumber);
        await _deliver(block, token).ConfigureAwait(false);
    }
}
