using Common;
using Fabric.Protocol.Ledger;
using Fabric.Protocol.Transactions;
using Google.Protobuf;
using Protos;

namespace Fabric.Protocol.Tests.Transactions;

/// <summary>Malformed bytes become a FormatException that says which layer was expected.</summary>
public class MalformedInputTests
{
    private static readonly ByteString Garbage = ByteString.CopyFrom(0x0A, 0xFF, 0x01);

    [Fact]
    public void Envelope_with_a_broken_payload_names_the_payload()
    {
        var error = Assert.Throws<FormatException>(() => TransactionEnvelope.Parse(new Envelope { Payload = Garbage }));

        Assert.Contains("Envelope.payload", error.Message);
        Assert.Contains("Common.Payload", error.Message);
    }

    [Fact]
    public void Envelope_without_a_header_says_so()
    {
        var error = Assert.Throws<FormatException>(() => TransactionEnvelope.Parse(new Envelope { Payload = new Payload().ToByteString() }));

        Assert.Contains("Payload.header", error.Message);
    }

    [Fact]
    public void Endorser_transaction_with_broken_data_names_the_transaction()
    {
        var payload = new Payload
        {
            Header = new Header { ChannelHeader = new ChannelHeader { Type = (int)HeaderType.EndorserTransaction, TxId = "t" }.ToByteString() },
            Data = Garbage,
        };

        var error = Assert.Throws<FormatException>(() => TransactionEnvelope.Parse(new Envelope { Payload = payload.ToByteString() }));

        Assert.Contains("endorser transaction", error.Message);
    }

    [Fact]
    public void Proposal_with_a_broken_header_names_the_header()
    {
        var signed = new SignedProposal { ProposalBytes = new Proposal { Header = Garbage }.ToByteString() };

        var error = Assert.Throws<FormatException>(() => ParsedProposal.Parse(signed));

        Assert.Contains("Proposal.header", error.Message);
    }

    [Fact]
    public void Block_with_a_broken_envelope_names_the_entry()
    {
        var block = new Block { Header = new BlockHeader { Number = 7 }, Data = new BlockData { Data = { Garbage } } };

        var error = Assert.Throws<FormatException>(() => BlockTransactions.Read(block));

        Assert.Contains("Block 7 data[0]", error.Message);
    }

    [Fact]
    public void Transactions_filter_of_the_wrong_length_is_rejected()
    {
        var block = new Block
        {
            Header = new BlockHeader { Number = 3 },
            Data = new BlockData { Data = { ByteString.Empty, ByteString.Empty } },
            Metadata = new BlockMetadata { Metadata = { ByteString.Empty, ByteString.Empty, ByteString.CopyFrom(0) } },
        };

        var error = Assert.Throws<FormatException>(() => TransactionsFilter.Read(block));

        Assert.Contains("TRANSACTIONS_FILTER", error.Message);
    }
}
