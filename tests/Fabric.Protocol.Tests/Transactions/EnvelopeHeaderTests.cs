using Common;
using Fabric.Protocol.Tests.Ledger;
using Fabric.Protocol.Transactions;
using Google.Protobuf;

namespace Fabric.Protocol.Tests.Transactions;

/// <summary>The headers read without the payload's data are the full parse's, on real blocks and on odd encodings.</summary>
public class EnvelopeHeaderTests
{
    public static TheoryData<string> Blocks => BlockVectorTests.Blocks;

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Headers_of_every_real_transaction_are_those_of_the_full_parse(string path)
    {
        var (_, block) = BlockVectorTests.Load(path);

        foreach (var bytes in block.Data.Data)
        {
            var full = TransactionEnvelope.Parse(bytes);
            var header = EnvelopeHeader.Read(Envelope.Parser.ParseFrom(bytes));
            Assert.Equal(full.ChannelHeader, header.Channel);
            Assert.Equal(full.SignatureHeader, header.Signature);
        }
    }

    [Fact]
    public void A_header_sent_in_two_parts_is_merged_as_protobuf_merges_it()
    {
        var full = RealTransaction();
        var first = new Payload { Header = new Header { ChannelHeader = full.Payload.Header.ChannelHeader } }.ToByteArray();
        var second = new Payload { Header = new Header { SignatureHeader = full.Payload.Header.SignatureHeader }, Data = full.Payload.Data }.ToByteArray();

        var header = EnvelopeHeader.Read(new Envelope { Payload = ByteString.CopyFrom([.. first, .. second]) });

        Assert.Equal(full.ChannelHeader, header.Channel);
        Assert.Equal(full.SignatureHeader, header.Signature);
    }

    [Fact]
    public void Data_that_does_not_parse_is_not_read()
    {
        var full = RealTransaction();
        var payload = new Payload { Header = full.Payload.Header, Data = ByteString.CopyFrom(0x0A, 0xFF, 0x01) };

        var header = EnvelopeHeader.Read(new Envelope { Payload = payload.ToByteString() });

        Assert.Equal(full.ChannelHeader, header.Channel);
    }

    [Theory]
    [InlineData("", "Payload.header")]                  // no header
    [InlineData("0A05", "Envelope.payload")]            // a header cut short
    [InlineData("0A020AFF", "Payload.header")]          // a header whose channel header is cut short
    public void Missing_or_malformed_headers_name_the_layer(string payloadHex, string layer)
    {
        var envelope = new Envelope { Payload = ByteString.CopyFrom(Convert.FromHexString(payloadHex)) };

        var error = Assert.Throws<FormatException>(() => EnvelopeHeader.Read(envelope));

        Assert.Contains(layer, error.Message);
    }

    private static TransactionEnvelope RealTransaction() =>
        Fabric.Protocol.Tests.Vectors.VectorIndex.Blocks
            .SelectMany(b => Fabric.Protocol.Ledger.BlockTransactions.Read(BlockVectorTests.Load(b.Path).Block))
            .First(t => t.Envelope.Type == HeaderType.EndorserTransaction).Envelope;
}
