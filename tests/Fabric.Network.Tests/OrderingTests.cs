using Common;
using Fabric.Network.Blocks;
using Fabric.Network.Configuration;
using Fabric.Network.Ordering;
using Fabric.Network.Tests.Support;
using Google.Protobuf;

namespace Fabric.Network.Tests;

public class OrderingTests
{
    private static ByteString Env(int size) => ByteString.CopyFrom(new byte[size]);

    [Fact]
    public void Cuts_at_max_message_count()
    {
        var cutter = new BlockCutter(new BatchSettings { MaxMessageCount = 3, PreferredMaxBytes = 1000 });
        Assert.Empty(cutter.Ordered(Env(1)));
        Assert.Empty(cutter.Ordered(Env(1)));
        var batches = cutter.Ordered(Env(1));
        Assert.Single(batches);
        Assert.Equal(3, batches[0].Count);
        Assert.False(cutter.HasPending);
    }

    [Fact]
    public void Cuts_before_an_envelope_that_would_overflow_preferred_max_bytes()
    {
        var cutter = new BlockCutter(new BatchSettings { MaxMessageCount = 100, PreferredMaxBytes = 100 });
        cutter.Ordered(Env(60));
        var batches = cutter.Ordered(Env(50));
        Assert.Single(batches);
        Assert.Equal(60, batches[0][0].Length);
        Assert.True(cutter.HasPending);
    }

    [Fact]
    public void An_oversized_envelope_gets_a_block_of_its_own()
    {
        var cutter = new BlockCutter(new BatchSettings { MaxMessageCount = 100, PreferredMaxBytes = 100 });
        cutter.Ordered(Env(10));
        var batches = cutter.Ordered(Env(500));
        Assert.Equal(2, batches.Count);
        Assert.Equal(10, batches[0][0].Length);
        Assert.Equal(500, batches[1][0].Length);
        Assert.False(cutter.HasPending);
    }

    [Fact]
    public async Task The_batch_timeout_cuts_a_partial_block_and_blocks_are_chained_and_signed()
    {
        var channel = TestChannel.Instance;
        var blocks = System.Threading.Channels.Channel.CreateUnbounded<Block>();
        using var signer = channel.Crypto.Orderer.Node.CreateSigner();
        var previous = new byte[32];
        await using (var orderer = new OrderingService(new BatchSettings { MaxMessageCount = 10, BatchTimeoutMs = 30 }, channel.Crypto.Orderer.Node.Identity, signer, 5, previous,
            (b, ct) => blocks.Writer.WriteAsync(b, ct)))
        {
            orderer.Submit(Env(3));
            orderer.Submit(Env(4));
            var first = await blocks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(5ul, first.Header.Number);
            Assert.Equal(2, first.Data.Data.Count);
            Assert.Equal(previous, first.Header.PreviousHash.ToByteArray());
            Assert.True(BlockSignatures.VerifyAll(first));

            orderer.Submit(Env(5));
            var second = await blocks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(6ul, second.Header.Number);
            Assert.Equal(BlockHashing.HeaderHash(first.Header), second.Header.PreviousHash.ToByteArray());
            Assert.Throws<ArgumentException>(() => orderer.Submit(Env(11 * 1024 * 1024)));
        }
    }
}
