using Fabric.Protocol.Transactions;
using Common;
using Fabric.Network.Blocks;
using Fabric.Network.Ledger;
using Fabric.Network.Validation;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Tests.Support;

/// <summary>A ledger with the channel's genesis block, and a way to order, validate and commit envelopes.</summary>
public sealed class TestLedger : IDisposable
{
    private readonly TempDirectory? _ownDirectory;

    public TestLedger(TestChannel channel, string? directory = null, string endorsementPolicy = "MAJORITY Endorsement")
    {
        if (directory is null) _ownDirectory = new TempDirectory();
        Directory = directory ?? _ownDirectory!.Path;
        Channel = channel;
        Ledger = PeerLedger.Open(Directory);
        Validator = new BlockValidator(channel.Context(endorsementPolicy), Ledger);
        if (Ledger.Height == 0)
        {
            var genesis = GenesisBlock.Create(channel.Definition, channel.Crypto, channel.Policies, "127.0.0.1:7050");
            Ledger.Commit(genesis, new UpdateBatch(), [TransactionEnvelope.Parse(genesis.Data.Data[0])]);
        }
    }

    public string Directory { get; }
    public TestChannel Channel { get; }
    public PeerLedger Ledger { get; }
    public BlockValidator Validator { get; }

    /// <summary>Cuts one block of the envelopes, signs it as the orderer, validates and commits it.</summary>
    public (Block Block, TxValidationCode[] Codes) CommitBlock(params ByteString[] envelopes)
    {
        var block = BlockFactory.Create(Ledger.Height, Ledger.LastHeaderHash, envelopes);
        using var signer = Channel.Crypto.Orderer.Node.CreateSigner();
        block.Metadata.Metadata[(int)BlockMetadataIndex.Signatures] = BlockSigner.Sign(block, 0, Channel.Crypto.Orderer.Node.Identity, signer).ToByteString();
        var validated = Validator.Validate(block);
        Ledger.Commit(validated.Block, validated.Updates, validated.Transactions);
        return (block, validated.Codes);
    }

    public void Dispose()
    {
        Ledger.Dispose();
        _ownDirectory?.Dispose();
    }
}
