using CashTransfer.Testing.NodeCounterparts;
using Fabric.Client.Internal;
using Gateway;
using Google.Protobuf;
using Protos;

namespace Fabric.Client.Tests;

/// <summary>
/// The endorsed transaction's channel and result, read by walking the envelope in place, are what the full protobuf
/// parse finds: on every envelope a real Fabric gateway returned, on cut and flipped copies, and on encodings protobuf
/// merges.
/// </summary>
public class EnvelopeParserTests
{
    public static TheoryData<string> RecordedEndorsements => new(EndorseResponseFiles());

    private static IEnumerable<string> EndorseResponseFiles() =>
        Vectors.GroupsWith("-endorse-response.bin").SelectMany(group =>
            Directory.GetFiles(Path.Combine(Vectors.GatewayDir, group!), "*-endorse-response.bin").Order(StringComparer.Ordinal)
                .Select(file => Path.Combine(group!, Path.GetFileName(file))));

    [Theory]
    [MemberData(nameof(RecordedEndorsements))]
    public void A_real_endorsed_transaction_reads_as_its_full_parse(string file)
    {
        var envelope = Vectors.Parse(EndorseResponse.Parser, file).PreparedTransaction;

        var (channel, result) = EnvelopeParser.ParseTransaction(envelope);

        Assert.Equal(FullParse(envelope), (channel, Convert.ToHexString(result)));
    }

    [Fact]
    public void Cut_and_flipped_envelopes_read_as_the_full_parse_or_fail_as_a_format_error()
    {
        var envelope = RealEnvelope();
        var bytes = envelope.Payload.ToByteArray();
        var agreed = 0;
        foreach (var mutated in CorruptedCopies.Of(bytes, 3000))
        {
            var candidate = new Common.Envelope { Payload = ByteString.CopyFrom(mutated) };

            (string, string)? expected;
            try { expected = FullParse(candidate); }
            catch (InvalidProtocolBufferException) { expected = null; }

            if (expected is null)
            {
                Assert.ThrowsAny<FormatException>(() => EnvelopeParser.ParseTransaction(candidate));
                continue;
            }
            var (channel, result) = EnvelopeParser.ParseTransaction(candidate);
            Assert.Equal(expected, (channel, Convert.ToHexString(result)));
            agreed++;
        }
        Assert.True(agreed > 100, $"only {agreed} mutations still parsed: the comparison saw too few");
    }

    [Fact]
    public void A_response_sent_in_two_parts_is_merged_as_protobuf_merges_it()
    {
        var envelope = RealEnvelope();
        var payload = Common.Payload.Parser.ParseFrom(envelope.Payload);
        var transaction = Protos.Transaction.Parser.ParseFrom(payload.Data);
        var actionPayload = ChaincodeActionPayload.Parser.ParseFrom(transaction.Actions[0].Payload);
        var responsePayload = ProposalResponsePayload.Parser.ParseFrom(actionPayload.Action.ProposalResponsePayload);
        var chaincodeAction = ChaincodeAction.Parser.ParseFrom(responsePayload.Extension);
        // The response's payload in the first part, its status in the second: one merged response holds both.
        var first = new ChaincodeAction { Response = new Response { Payload = ByteString.CopyFromUtf8("merged result") } }.ToByteArray();
        var second = new ChaincodeAction { Results = chaincodeAction.Results, Response = new Response { Status = 200 } }.ToByteArray();
        responsePayload.Extension = ByteString.CopyFrom([.. first, .. second]);
        actionPayload.Action.ProposalResponsePayload = responsePayload.ToByteString();
        transaction.Actions[0].Payload = actionPayload.ToByteString();
        payload.Data = transaction.ToByteString();
        var merged = new Common.Envelope { Payload = payload.ToByteString() };

        var (_, result) = EnvelopeParser.ParseTransaction(merged);

        Assert.Equal("merged result", System.Text.Encoding.UTF8.GetString(result));
    }

    [Fact]
    public void An_envelope_without_a_response_says_what_it_found()
    {
        var envelope = RealEnvelope();
        var payload = Common.Payload.Parser.ParseFrom(envelope.Payload);
        payload.Data = new Protos.Transaction { Actions = { new TransactionAction { Payload = new ChaincodeActionPayload().ToByteString() } } }.ToByteString();

        var error = Assert.Throws<FormatException>(() => EnvelopeParser.ParseTransaction(new Common.Envelope { Payload = payload.ToByteString() }));

        Assert.Equal("The endorsed transaction holds no chaincode response: action without an endorsed action", error.Message);
    }

    private static Common.Envelope RealEnvelope() =>
        Vectors.Parse(EndorseResponse.Parser, EndorseResponseFiles().First()).PreparedTransaction;

    /// <summary>The oracle: every layer parsed by protobuf, the first action with a response.</summary>
    private static (string Channel, string ResultHex)? FullParse(Common.Envelope envelope)
    {
        var payload = Common.Payload.Parser.ParseFrom(envelope.Payload);
        if (payload.Header is null) return null;
        var channel = Common.ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader).ChannelId;
        Common.SignatureHeader.Parser.ParseFrom(payload.Header.SignatureHeader);
        foreach (var action in Protos.Transaction.Parser.ParseFrom(payload.Data).Actions)
        {
            var actionPayload = ChaincodeActionPayload.Parser.ParseFrom(action.Payload);
            if (actionPayload.Action is null) continue;
            var chaincodeAction = ChaincodeAction.Parser.ParseFrom(ProposalResponsePayload.Parser.ParseFrom(actionPayload.Action.ProposalResponsePayload).Extension);
            if (chaincodeAction.Response is null) continue;
            return (channel, Convert.ToHexString(chaincodeAction.Response.Payload.ToByteArray()));
        }
        return null;
    }
}
