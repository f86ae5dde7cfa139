using Grpc.Core;
using Fabric.Grpc;
using Fabric.Protocol.Identity;
using Protos;

namespace Fabric.Client.Tests;

/// <summary>Block and filtered-block events through the peer's Deliver service (duplex), over a real gRPC server.</summary>
[Collection(SerialCollection.Name)]
public class BlockEventsTests
{
    private static Common.Block Block(ulong number) =>
        Common.Block.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Vectors.Root, "blocks", $"block-{number}.pb")));

    [Fact]
    public async Task Full_blocks_are_streamed_after_a_signed_seek_request()
    {
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Deliver = async (_, responses, _) =>
            {
                await responses.WriteAsync(new DeliverResponse { Block = Block(23) });
                await responses.WriteAsync(new DeliverResponse { Block = Block(24) });
                await responses.WriteAsync(new DeliverResponse { Status = Common.Status.Success });
            },
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());

        var blocks = new List<Common.Block>();
        await foreach (var block in gateway.GetNetwork("mychannel").GetBlocksAsync(new EventsOptions { StartBlock = 23 })) blocks.Add(block);

        Assert.Equal([23ul, 24ul], blocks.Select(b => b.Header.Number));
        Assert.Equal(Block(24), blocks[1]);
        var call = Assert.Single(server.Calls);
        Assert.Equal("Deliver", call.Method);
        var envelope = Common.Envelope.Parser.ParseFrom(call.Request);
        var payload = Common.Payload.Parser.ParseFrom(envelope.Payload);
        var channelHeader = Common.ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader);
        Assert.Equal((int)Common.HeaderType.DeliverSeekInfo, channelHeader.Type);
        Assert.Equal("mychannel", channelHeader.ChannelId);
        Assert.True(channelHeader.TlsCertHash.IsEmpty);
        var signatureHeader = Common.SignatureHeader.Parser.ParseFrom(payload.Header.SignatureHeader);
        Assert.Equal(Vectors.UserIdentity().ToSerializedIdentity(), signatureHeader.Creator.ToByteArray());
        var seek = Orderer.SeekInfo.Parser.ParseFrom(payload.Data);
        Assert.Equal(23ul, seek.Start.Specified.Number);
        Assert.Equal(ulong.MaxValue, seek.Stop.Specified.Number);
        Assert.Equal(Orderer.SeekInfo.Types.SeekBehavior.BlockUntilReady, seek.Behavior);
        Assert.True(X509Identity.FromSerializedIdentity(signatureHeader.Creator.Span).Verify(envelope.Payload.Span, envelope.Signature.Span));
    }

    [Fact]
    public async Task Filtered_blocks_use_deliver_filtered_and_resume_from_a_checkpoint()
    {
        var filtered = new FilteredBlock { ChannelId = "mychannel", Number = 31 };
        filtered.FilteredTransactions.Add(new FilteredTransaction { Txid = "cd613bbc", TxValidationCode = TxValidationCode.Valid, Type = Common.HeaderType.EndorserTransaction });
        filtered.FilteredTransactions.Add(new FilteredTransaction { Txid = "5a02b6d9", TxValidationCode = TxValidationCode.MvccReadConflict, Type = Common.HeaderType.EndorserTransaction });
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Deliver = async (_, responses, _) => await responses.WriteAsync(new DeliverResponse { FilteredBlock = filtered }),
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(),
            new GatewayOptions { TlsClientCertificateHash = [1, 2, 3] });
        var checkpointer = new InMemoryCheckpointer();
        await checkpointer.CheckpointBlockAsync(30);

        FilteredBlock? received = null;
        await foreach (var block in gateway.GetNetwork("mychannel").GetFilteredBlocksAsync(new EventsOptions { StartBlock = 0, Checkpoint = checkpointer }))
        {
            received = block;
            break; // leaving the loop ends the stream
        }

        Assert.Equal(filtered, received);
        var call = Assert.Single(server.Calls);
        Assert.Equal("DeliverFiltered", call.Method);
        var payload = Common.Payload.Parser.ParseFrom(Common.Envelope.Parser.ParseFrom(call.Request).Payload);
        Assert.Equal(31ul, Orderer.SeekInfo.Parser.ParseFrom(payload.Data).Start.Specified.Number);
        Assert.Equal([1, 2, 3], Common.ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader).TlsCertHash.ToByteArray());
    }

    [Fact]
    public async Task Blocks_with_private_data_come_from_DeliverWithPrivateData_and_a_block_of_another_form_is_refused()
    {
        var withPrivateData = new BlockAndPrivateData { Block = new Common.Block { Header = new Common.BlockHeader { Number = 12 } } };
        withPrivateData.PrivateDataMap.Add(0, new Rwset.TxPvtReadWriteSet { DataModel = Rwset.TxReadWriteSet.Types.DataModel.Kv });
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Deliver = async (_, responses, _) =>
            {
                await responses.WriteAsync(new DeliverResponse { BlockAndPrivateData = withPrivateData });
                await responses.WriteAsync(new DeliverResponse { Block = withPrivateData.Block });   // not what was asked for
            },
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());

        var received = new List<BlockAndPrivateData>();
        var e = await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var block in gateway.GetNetwork("mychannel").GetBlocksAndPrivateDataAsync(new EventsOptions { StartBlock = 12 })) received.Add(block);
        });

        Assert.Equal(withPrivateData, Assert.Single(received));
        Assert.Contains("Block", e.Message, StringComparison.Ordinal);
        var call = Assert.Single(server.Calls);
        Assert.Equal("DeliverWithPrivateData", call.Method);
        var payload = Common.Payload.Parser.ParseFrom(Common.Envelope.Parser.ParseFrom(call.Request).Payload);
        Assert.Equal(12ul, Orderer.SeekInfo.Parser.ParseFrom(payload.Data).Start.Specified.Number);
    }

    [Fact]
    public async Task A_refused_seek_becomes_a_gateway_exception()
    {
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Deliver = async (_, responses, _) => await responses.WriteAsync(new DeliverResponse { Status = Common.Status.Forbidden }),
        });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());

        var e = await Assert.ThrowsAsync<GatewayException>(async () =>
        {
            await foreach (var _ in gateway.GetNetwork("mychannel").GetBlocksAsync()) { }
        });
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains("FORBIDDEN", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
