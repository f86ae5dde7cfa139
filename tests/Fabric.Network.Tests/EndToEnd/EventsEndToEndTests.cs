using Common;
using Grpc.Core;
using Fabric.Grpc.Client;
using Status = Common.Status;
using Fabric.Grpc;
using Fabric.Network.Blocks;
using Fabric.Network.Gateway;
using Gateway;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Tests.EndToEnd;

public class EventsEndToEndTests(NetworkFixture fixture) : IClassFixture<NetworkFixture>
{
    [Fact]
    public async Task Chaincode_events_stream_from_a_start_block_and_after_a_transaction()
    {
        using var client = fixture.Client();
        var (first, s1, _) = await client.SubmitTransactionAsync("put", "e1", "a");
        var (second, s2, _) = await client.SubmitTransactionAsync("put", "e2", "b");

        async Task<List<ChaincodeEventsResponse>> Read(ChaincodeEventsRequest request, int count)
        {
            request.ChannelId = fixture.Network.ChannelName;
            request.ChaincodeId = "kv";
            request.Identity = ByteString.CopyFrom(client.Identity.Identity.ToSerializedIdentity());
            var bytes = request.ToByteString();
            using var signer = client.Identity.CreateSigner();
            var signed = new SignedChaincodeEventsRequest { Request = bytes, Signature = ByteString.CopyFrom(signer.Sign(bytes.Span)) };
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = new List<ChaincodeEventsResponse>();
            await foreach (var r in client.Channel.ServerStreaming(PeerMethods.ChaincodeEvents, signed, new CallOptions(cancellationToken: cts.Token)))
            {
                result.Add(r);
                if (result.Count == count) break;
            }
            return result;
        }

        var fromStart = await Read(new ChaincodeEventsRequest { StartPosition = new Orderer.SeekPosition { Specified = new Orderer.SeekSpecified { Number = s1.BlockNumber } } }, 2);
        Assert.Equal([s1.BlockNumber, s2.BlockNumber], fromStart.Select(r => r.BlockNumber));
        Assert.Equal(first, fromStart[0].Events.Single().TxId);
        Assert.Equal("e1=a", fromStart[0].Events.Single().Payload.ToStringUtf8());

        var afterFirst = await Read(new ChaincodeEventsRequest { AfterTransactionId = first }, 1);
        Assert.Equal(second, afterFirst.Single().Events.Single().TxId);

        // Waiting for the next commit: the stream delivers a block committed after it started.
        var pending = Read(new ChaincodeEventsRequest(), 1);
        await Task.Delay(200);
        var (third, _, _) = await client.SubmitTransactionAsync("put", "e3", "c");
        Assert.Equal(third, (await pending.WaitAsync(TimeSpan.FromSeconds(30))).Single().Events.Single().TxId);
    }

    [Fact]
    public async Task Deliver_streams_signed_blocks_and_filtered_blocks_then_SUCCESS()
    {
        using var client = fixture.Client();
        var (txId, status, _) = await client.SubmitTransactionAsync("put", "d", "1");
        foreach (var filtered in new[] { false, true })
        {
            await using var call = client.Channel.Duplex(filtered ? PeerMethods.DeliverFiltered : PeerMethods.Deliver, FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(30)));
            await call.WriteAsync(client.SeekEnvelope(0, status.BlockNumber));
            var received = new List<DeliverResponse>();
            await foreach (var response in call.Responses)
            {
                received.Add(response);
                if (response.TypeCase == DeliverResponse.TypeOneofCase.Status) break;
            }
            Assert.Equal(Status.Success, received[^1].Status);
            Assert.Equal((int)status.BlockNumber + 1, received.Count - 1);
            if (filtered)
            {
                var last = received[^2].FilteredBlock;
                var ft = last.FilteredTransactions.Single(t => t.Txid == txId);
                Assert.Equal(TxValidationCode.Valid, ft.TxValidationCode);
                Assert.Equal("Put", ft.TransactionActions.ChaincodeActions.Single().ChaincodeEvent.EventName);
                Assert.True(ft.TransactionActions.ChaincodeActions.Single().ChaincodeEvent.Payload.IsEmpty);
            }
            else
            {
                var block = received[^2].Block;
                Assert.True(BlockSigner.VerifyAll(block));
                Assert.Equal(Fabric.Protocol.Ledger.BlockHeaderHash.Compute(received[^3].Block.Header), block.Header.PreviousHash.ToByteArray());
                Assert.Equal(HeaderType.Config, (HeaderType)ChannelHeader.Parser.ParseFrom(Payload.Parser.ParseFrom(Envelope.Parser.ParseFrom(received[0].Block.Data.Data[0]).Payload).Header.ChannelHeader).Type);
            }
        }
    }

    [Theory]
    [InlineData("Deliver")]
    [InlineData("DeliverFiltered")]
    public async Task Deliver_and_DeliverFiltered_answer_FORBIDDEN_to_an_unsigned_seek(string method)
    {
        using var client = fixture.Client();
        var seek = client.SeekEnvelope(0, 0);
        seek.Signature = ByteString.Empty;
        var deliver = method == "Deliver" ? PeerMethods.Deliver : PeerMethods.DeliverFiltered;

        var responses = await DeliveredAsync(client, deliver, seek);

        Assert.Equal(Status.Forbidden, Assert.Single(responses).Status);
    }

    /// <summary>Every response to one seek, through the status that ends it.</summary>
    private static async Task<List<DeliverResponse>> DeliveredAsync(TestGatewayClient client, Method<Envelope, DeliverResponse> method, Envelope seek)
    {
        await using var call = client.Channel.Duplex(method, FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(30)));
        await call.WriteAsync(seek);
        var received = new List<DeliverResponse>();
        await foreach (var response in call.Responses)
        {
            received.Add(response);
            if (response.TypeCase == DeliverResponse.TypeOneofCase.Status) break;
        }
        return received;
    }
}
