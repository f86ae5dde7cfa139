using Fabric.Protocol.Transactions;
using Google.Protobuf;
using System.Text.Json;
using Common;
using Fabric.Network.Blocks;
using Fabric.Network.Ledger;
using Fabric.Network.Tests.Support;
using Kvrwset;

namespace Fabric.Network.Tests;

/// <summary>Block hashing, signing and range-query hashing checked against blocks from a real Fabric 2.5.5 peer.</summary>
public class BlockVectorTests
{
    public static TheoryData<string> VectorBlocks => new() { "block-0.pb", "block-23.pb", "block-27.pb", "block-31.pb" };

    [Theory]
    [MemberData(nameof(VectorBlocks))]
    public void Header_bytes_header_hash_and_data_hash_match_Fabric(string file)
    {
        var block = Vectors.Block(file);
        using var index = JsonDocument.Parse(Vectors.Bytes("blocks/index.json"));
        var entry = index.RootElement.GetProperty("blocks").EnumerateArray().First(b => b.GetProperty("file").GetString() == file);
        Assert.Equal(entry.GetProperty("header_asn1_der_hex").GetString(), Convert.ToHexStringLower(Fabric.Protocol.Ledger.BlockHeaderHash.Asn1Der(block.Header)));
        Assert.Equal(entry.GetProperty("header_hash").GetString(), Convert.ToHexStringLower(Fabric.Protocol.Ledger.BlockHeaderHash.Compute(block.Header)));
        Assert.Equal(block.Header.DataHash.ToByteArray(), Fabric.Protocol.Ledger.BlockDataHash.Compute(block.Data));
    }

    [Fact]
    public void Previous_hash_chains_to_the_previous_header()
    {
        for (int n = 24; n <= 31; n++)
        {
            var previous = Vectors.Block($"block-{n - 1}.pb");
            var block = Vectors.Block($"block-{n}.pb");
            Assert.Equal(block.Header.PreviousHash.ToByteArray(), Fabric.Protocol.Ledger.BlockHeaderHash.Compute(previous.Header));
        }
    }

    [Fact]
    public void Orderer_signatures_of_real_blocks_verify_and_a_tampered_header_does_not()
    {
        var block = Vectors.Block("block-24.pb");
        Assert.True(BlockSigner.VerifyAll(block));
        block.Header.Number++;
        Assert.False(BlockSigner.VerifyAll(block));
    }

    [Fact]
    public void Blocks_this_network_signs_verify_by_the_same_rule()
    {
        var channel = TestChannel.Instance;
        var block = BlockFactory.Create(7, new byte[32], [Google.Protobuf.ByteString.CopyFromUtf8("x")]);
        using var signer = channel.Crypto.Orderer.Node.CreateSigner();
        block.Metadata.Metadata[(int)BlockMetadataIndex.Signatures] = BlockSigner.Sign(block, 0, channel.Crypto.Orderer.Node.Identity, signer).ToByteString();
        Assert.True(BlockSigner.VerifyAll(block));
        var metadata = Metadata.Parser.ParseFrom(block.Metadata.Metadata[0]);
        Assert.Equal(0ul, OrdererBlockMetadata.Parser.ParseFrom(metadata.Value).LastConfig.Index);
    }

    [Fact]
    public void Range_query_merkle_summary_matches_Fabric_for_105_results()
    {
        // Block 28 wrote the 105 bulk keys; block 29 ranged over them and recorded a merkle summary.
        var writes = TransactionEnvelope.Parse(Vectors.Block("block-28.pb").Data.Data[0]).SingleAction()!.Namespaces.Single(s => s.Namespace == "kvcc").Set.Writes;
        var query = TransactionEnvelope.Parse(Vectors.Block("block-29.pb").Data.Data[0]).SingleAction()!.Namespaces.Single(s => s.Namespace == "kvcc").Set.RangeQueriesInfo.Single();
        Assert.NotNull(query.ReadsMerkleHashes);

        var results = new RangeQueryResults((int)query.ReadsMerkleHashes.MaxDegree);
        foreach (var key in writes.Select(w => w.Key).Where(k => string.CompareOrdinal(k, query.StartKey) >= 0 && string.CompareOrdinal(k, query.EndKey) < 0).Order(StringComparer.Ordinal))
            results.Add(new KVRead { Key = key, Version = new Kvrwset.Version { BlockNum = 28, TxNum = 0 } });
        var (raw, summary) = results.Done();
        Assert.Empty(raw);
        Assert.Equal(query.ReadsMerkleHashes, summary);
    }

    [Fact]
    public void Few_range_results_stay_raw_reads()
    {
        var results = new RangeQueryResults();
        for (int i = 0; i < 50; i++) results.Add(new KVRead { Key = $"k{i:D2}" });
        var (raw, summary) = results.Done();
        Assert.Null(summary);
        Assert.Equal(50, raw.Count);
    }

    [Fact]
    public void Real_transactions_parse_into_read_write_sets_and_events()
    {
        var tx = TransactionEnvelope.Parse(Vectors.Block("block-23.pb").Data.Data[0]);
        Assert.StartsWith("b1f6b9fca6cf", tx.TransactionId);
        Assert.Equal("Put", tx.SingleAction()!.Event!.EventName);
        Assert.Equal(2, tx.SingleAction()!.Endorsements.Count);
        Assert.Contains(tx.SingleAction()!.Namespaces, s => s.Namespace == "kvcc" && s.Set.Writes.Any(w => w.Key == "asset1"));
    }
}
