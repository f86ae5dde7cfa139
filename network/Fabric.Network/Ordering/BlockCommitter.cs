using System.Threading.Channels;
using Common;
using Fabric.Network.Ledger;
using Fabric.Network.Validation;
using Microsoft.Extensions.Logging;

namespace Fabric.Network.Ordering;

/// <summary>
/// The committing peer's side: takes ordered blocks one at a time, validates them and commits them to the
/// ledger. Runs apart from the orderer so that ordering keeps batching while a block is validated.
/// </summary>
public sealed class BlockCommitter : IAsyncDisposable
{
    private readonly Channel<Block> _blocks = Channel.CreateBounded<Block>(new BoundedChannelOptions(16) { SingleReader = true });
    private readonly BlockValidator _validator;
    private readonly PeerLedger _ledger;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public BlockCommitter(BlockValidator validator, PeerLedger ledger, ILogger logger)
    {
        _validator = validator;
        _ledger = ledger;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public ValueTask EnqueueAsync(Block block, CancellationToken cancellationToken) => _blocks.Writer.WriteAsync(block, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _blocks.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var block in _blocks.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var validated = _validator.Validate(block);
                _ledger.Commit(validated.Block, validated.Updates, validated.Transactions);
                _logger.LogDebug("committed block {Number} with {Count} transactions", block.Header.Number, validated.Codes.Length);
            }
            catch (Exception e)
            {
                // A block that cannot be committed stops the channel, as on a Fabric peer: later blocks would not chain.
                _logger.LogCritical(e, "block {Number} could not be committed; the channel stops", block.Header.Number);
                _blocks.Writer.TryComplete(e);
                return;
            }
        }
    }
}
