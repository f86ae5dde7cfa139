using CashTransfer.Audit.Ledger.Channel;
using Fabric.Protocol.Ledger;
using Protos;

namespace CashTransfer.Audit.Ledger.Tests;

/// <summary>The verifier on blocks written by a real Fabric 2.5.5 network: they verify clean, and what it reads from them is right.</summary>
public sealed class RealBlockVerificationTests
{
    [Fact]
    public void The_genesis_block_verifies_and_gives_the_channel_configuration()
    {
        var verifier = new BlockVerifier();

        var findings = verifier.Verify(Vectors.Block(0));

        Assert.Empty(findings);
        var config = Assert.IsType<ChannelConfiguration>(verifier.Configuration);
        Assert.Equal("mychannel", config.ChannelId);
        Assert.Equal(["OrdererMSP", "Org1MSP", "Org2MSP"], config.Organizations.Select(o => o.MspId).Order(StringComparer.Ordinal));
        Assert.NotNull(config.PolicyAt("/Channel/Orderer/BlockValidation"));
        Assert.NotNull(config.PolicyAt("/Channel/Application/Endorsement"));
    }

    [Fact]
    public void Data_blocks_23_to_31_verify_clean_after_the_genesis_configuration()
    {
        var verifier = StartedAfterGenesis();

        var findings = Vectors.DataBlocks.SelectMany(n => verifier.Verify(Vectors.Block(n))).ToList();

        Assert.Empty(findings);
        Assert.Equal(9ul, verifier.BlocksVerified);
        Assert.Equal(10ul, verifier.TransactionsVerified);   // block 31 holds two
        Assert.Equal(9ul, verifier.ValidTransactions);       // one of them lost its MVCC check
        Assert.Equal(Convert.FromHexString("daaec22e6e18098b8630611fce6fdee98b61002876a25447b882e854c204bcfa"), verifier.LastHeaderHash);
    }

    [Fact]
    public void The_rebuilt_state_holds_the_valid_writes_only()
    {
        var verifier = StartedAfterGenesis();
        foreach (var n in Vectors.DataBlocks) verifier.Verify(Vectors.Block(n));

        Assert.Null(verifier.State.Get("kvcc", "asset1"));                                   // moved away in block 26
        Assert.Equal("v2", verifier.State.Get("kvcc", "asset2")!.Value.ToStringUtf8());
        Assert.Equal(26ul, verifier.State.Get("kvcc", "asset2")!.BlockNumber);
        var counter = verifier.State.Get("kvcc", "counter")!;
        var valid = BlockTransactions.Read(Vectors.Block(31)).Single(t => t.IsValid);
        Assert.Equal(valid.TransactionId, counter.TxId);                                      // the MVCC loser wrote nothing
        Assert.Equal(105, verifier.State.Keys("kvcc").Count(k => k.Key.StartsWith("bulk:", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_block_as_the_orderer_delivered_it_verifies_by_the_verifiers_own_judgement()
    {
        var verifier = StartedAfterGenesis();

        Assert.Empty(verifier.Verify(Vectors.OrdererBlock23()));
        Assert.Equal(1ul, verifier.ValidTransactions);
        Assert.Equal("v1", verifier.State.Get("kvcc", "asset1")!.Value.ToStringUtf8());
    }

    [Fact]
    public void A_valid_transaction_flagged_invalid_by_the_peer_is_reported()
    {
        var verifier = StartedAfterGenesis();

        var findings = verifier.Verify(Tampering.SetValidationFlag(Vectors.Block(23), 0, TxValidationCode.EndorsementPolicyFailure));

        var finding = Assert.Single(findings);
        Assert.Equal(FindingKind.ValidationFlagInconsistent, finding.Kind);
        Assert.Equal(23ul, finding.BlockNumber);
        Assert.StartsWith("b1f6b9fca6cf", finding.TransactionId);
        Assert.Equal("VALID", finding.Expected);
        Assert.Equal(nameof(TxValidationCode.EndorsementPolicyFailure), finding.Found);
        Assert.Null(verifier.State.Get("kvcc", "asset1"));   // the peer's flag decides what it committed
    }

    internal static BlockVerifier StartedAfterGenesis() => BlockVerifier.StartingAfter(ChannelConfiguration.FromConfigBlock(Vectors.Block(0)));
}
