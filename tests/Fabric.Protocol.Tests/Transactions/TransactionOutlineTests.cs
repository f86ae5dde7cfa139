using CashTransfer.Testing.NodeCounterparts;
using Common;
using Fabric.Protocol.Ledger;
using Fabric.Protocol.Tests.Ledger;
using Fabric.Protocol.Tests.Vectors;
using Fabric.Protocol.Transactions;
using Gateway;
using Google.Protobuf;
using Protos;

namespace Fabric.Protocol.Tests.Transactions;

/// <summary>
/// The outline read in place agrees with the full parse on real Fabric blocks, on what a real gateway sent as chaincode
/// events, and on envelopes that protobuf reads in ways a walk to the last field would not (merged headers, bad bytes).
/// </summary>
public class TransactionOutlineTests
{
    public static TheoryData<string> Blocks => BlockVectorTests.Blocks;

    public static TheoryData<string> EventResponses => ChaincodeEventsVectorTests.Responses;

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Every_transaction_of_a_real_block_outlines_as_its_full_parse(string path)
    {
        var (_, block) = BlockVectorTests.Load(path);

        Assert.NotEmpty(block.Data.Data);
        foreach (var envelope in block.Data.Data)
            Assert.Equal(FromFullParse(envelope), TransactionOutline.Read(envelope));
    }

    [Theory]
    [MemberData(nameof(EventResponses))]
    public void Events_outlined_from_the_valid_transactions_are_those_a_real_gateway_sent(string path)
    {
        var response = VectorMessages.Read(VectorRows.Require(path), ChaincodeEventsResponse.Parser);
        var entry = VectorIndex.Blocks.Single(b => !b.FromOrderer && b.Number == response.BlockNumber);
        var block = BlockVectorTests.Load(entry.Path).Block;
        var codes = TransactionsFilter.Read(block);

        var outlined = block.Data.Data
            .Where((_, i) => codes[i] == TxValidationCode.Valid)
            .Select(e => TransactionOutline.Read(e)?.Event)
            .OfType<ChaincodeEvent>()
            .Where(e => e.ChaincodeId == "kvcc");

        Assert.NotEmpty(response.Events);
        Assert.Equal(response.Events, outlined);
    }

    [Fact]
    public void A_header_sent_in_two_parts_is_merged_as_protobuf_merges_it()
    {
        var (envelope, _) = RealEndorserTransaction();
        var payload = Payload.Parser.ParseFrom(envelope.Payload);
        // Protobuf merges a repeated embedded message: the channel header in the first part, the signature header in the
        // second. A walk that took the last part alone would find no channel header, so no type and no txid.
        var first = new Payload { Header = new Header { ChannelHeader = payload.Header.ChannelHeader } }.ToByteArray();
        var second = new Payload { Header = new Header { SignatureHeader = payload.Header.SignatureHeader }, Data = payload.Data }.ToByteArray();
        var split = new Envelope { Payload = ByteString.CopyFrom([.. first, .. second]), Signature = envelope.Signature }.ToByteString();

        var outline = TransactionOutline.Read(split);

        Assert.Equal(FromFullParse(split), outline);
        Assert.Equal(HeaderType.EndorserTransaction, outline!.Type);
        Assert.Equal(ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader).TxId, outline.TransactionId);
    }

    [Fact]
    public void Malformed_event_bytes_make_no_outline_as_they_make_no_parse()
    {
        var (envelope, _) = RealEndorserTransaction();
        var broken = WithChaincodeAction(envelope, action => action.Events = ByteString.CopyFrom(0x0A, 0xFF, 0x01));

        Assert.Null(FromFullParse(broken));
        Assert.Null(TransactionOutline.Read(broken));
    }

    [Fact]
    public void A_transaction_without_an_event_outlines_with_its_single_action_and_no_event()
    {
        var (envelope, _) = RealEndorserTransaction();
        var quiet = WithChaincodeAction(envelope, action => action.Events = ByteString.Empty);

        var outline = TransactionOutline.Read(quiet);

        Assert.Equal(FromFullParse(quiet), outline);
        Assert.True(outline!.HasSingleAction);
        Assert.Null(outline.Event);
    }

    [Fact]
    public void Cut_and_flipped_envelopes_never_throw_and_agree_with_the_full_parse_when_it_succeeds()
    {
        var (envelope, _) = RealEndorserTransaction();
        var bytes = envelope.ToByteArray();
        var agreed = 0;
        foreach (var mutated in CorruptedCopies.Of(bytes, 3000))
        {
            var candidate = ByteString.CopyFrom(mutated);

            var outline = TransactionOutline.Read(candidate);

            if (FromFullParse(candidate) is { } full)
            {
                Assert.Equal(full, outline);
                agreed++;
            }
        }
        Assert.True(agreed > 100, $"only {agreed} mutations still parsed: the comparison saw too few");
    }

    /// <summary>The first valid endorser transaction with a chaincode event in the real blocks.</summary>
    private static (Envelope Envelope, TransactionEnvelope Parsed) RealEndorserTransaction() =>
        VectorIndex.Blocks.Select(b => BlockVectorTests.Load(b.Path).Block)
            .SelectMany(block => BlockTransactions.Read(block))
            .Where(t => t.Envelope.Type == HeaderType.EndorserTransaction && t.Envelope.Actions.Single().Event is not null)
            .Select(t => (t.Envelope.Envelope, t.Envelope))
            .First();

    /// <summary>The envelope re-encoded with its chaincode action changed (signatures no longer match; nothing here checks them).</summary>
    private static ByteString WithChaincodeAction(Envelope envelope, Action<ChaincodeAction> change)
    {
        var payload = Payload.Parser.ParseFrom(envelope.Payload);
        var transaction = Transaction.Parser.ParseFrom(payload.Data);
        var actionPayload = ChaincodeActionPayload.Parser.ParseFrom(transaction.Actions[0].Payload);
        var responsePayload = ProposalResponsePayload.Parser.ParseFrom(actionPayload.Action.ProposalResponsePayload);
        var chaincodeAction = ChaincodeAction.Parser.ParseFrom(responsePayload.Extension);
        change(chaincodeAction);
        responsePayload.Extension = chaincodeAction.ToByteString();
        actionPayload.Action.ProposalResponsePayload = responsePayload.ToByteString();
        transaction.Actions[0].Payload = actionPayload.ToByteString();
        payload.Data = transaction.ToByteString();
        return new Envelope { Payload = payload.ToByteString(), Signature = envelope.Signature }.ToByteString();
    }

    private static TransactionOutline? FromFullParse(ByteString envelope)
    {
        try { return TransactionOutline.Of(TransactionEnvelope.Parse(envelope)); }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException) { return null; }
    }
}
