using System.Security.Cryptography;
using Common;
using Grpc.Core;
using Status = Common.Status;
using Fabric.Grpc.Server;
using Fabric.Network.Ledger;
using Fabric.Network.Membership;
using Fabric.Network.Validation;
using Google.Protobuf;
using SeekInfo = Orderer.SeekInfo;
using SeekPosition = Orderer.SeekPosition;
using Protos;

namespace Fabric.Network.Gateway;

/// <summary>What form of each block a Deliver call streams.</summary>
public enum DeliveredForm
{
    /// <summary><c>Deliver</c>: the whole block.</summary>
    Block,

    /// <summary><c>DeliverFiltered</c>: transaction ids, types, validation codes, event names.</summary>
    Filtered,

    /// <summary><c>DeliverWithPrivateData</c>: the whole block, with the private write sets the requester may read.</summary>
    WithPrivateData,
}

/// <summary>
/// The peer's <c>protos.Deliver</c> service: for each signed SeekInfo envelope the client sends, the committed blocks
/// (whole, filtered, or with private data) from start to stop, waiting for new ones when asked to (BLOCK_UNTIL_READY),
/// then a SUCCESS status. With private data, each block carries the write sets that this peer's organisation holds for
/// collections the requester's organisation is a member of (<see cref="PrivateData.PrivateDataCommit.ForDelivery"/>).
/// Refusals are a status response (BAD_REQUEST, FORBIDDEN, NOT_FOUND), as Fabric sends them, not a gRPC error. With
/// mutual TLS, a request must name the SHA-256 of the TLS client certificate of its connection (Fabric's binding
/// inspector), or it is a BAD_REQUEST.
/// </summary>
public sealed class DeliverService(ChannelContext channel, PeerLedger ledger, string peerMspId, bool mutualTls = false)
{
    public GrpcServiceDefinition Definition() => new GrpcServiceDefinition()
        .AddDuplex(PeerMethods.Deliver, (requests, responses, context) => RunAsync(requests, responses, DeliveredForm.Block, context))
        .AddDuplex(PeerMethods.DeliverFiltered, (requests, responses, context) => RunAsync(requests, responses, DeliveredForm.Filtered, context))
        .AddDuplex(PeerMethods.DeliverWithPrivateData, (requests, responses, context) => RunAsync(requests, responses, DeliveredForm.WithPrivateData, context));

    private async Task RunAsync(IAsyncEnumerable<Envelope> requests, IServerStreamWriter<DeliverResponse> responses, DeliveredForm form, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        byte[]? tlsCertHash = mutualTls && context.ClientCertificate() is { } client ? SHA256.HashData(client.RawData) : null;
        await foreach (var envelope in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var status = await ServeAsync(envelope, responses, form, tlsCertHash, cancellationToken).ConfigureAwait(false);
            await responses.WriteAsync(new DeliverResponse { Status = status }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Status> ServeAsync(Envelope envelope, IServerStreamWriter<DeliverResponse> responses, DeliveredForm form, byte[]? tlsCertHash, CancellationToken cancellationToken)
    {
        SeekInfo seek;
        ValidatedIdentity creator;
        try
        {
            var payload = Payload.Parser.ParseFrom(envelope.Payload);
            var channelHeader = ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader);
            // Binds the request to this TLS session, so a captured request cannot be replayed from another client;
            // Fabric checks it with the channel header, before looking the channel up, and answers BAD_REQUEST.
            if (mutualTls && (tlsCertHash is null || !channelHeader.TlsCertHash.Span.SequenceEqual(tlsCertHash))) return Status.BadRequest;
            if (channelHeader.ChannelId != channel.ChannelId) return Status.NotFound;
            var signatureHeader = SignatureHeader.Parser.ParseFrom(payload.Header.SignatureHeader);
            try { creator = channel.Membership.Validate(signatureHeader.Creator.Span); }
            catch (IdentityException) { return Status.Forbidden; }
            if (!channel.Membership.Verify(creator, envelope.Payload.Span, envelope.Signature.Span) || !channel.Policies.Readers.IsSatisfiedBy([creator]))
                return Status.Forbidden;
            seek = SeekInfo.Parser.ParseFrom(payload.Data);
        }
        // Google.Protobuf 3.25 throws IndexOutOfRangeException for a varint cut off at the end of some malformed inputs
        // (found by the fuzzer): a malformed request all the same.
        catch (Exception e) when (e is InvalidProtocolBufferException or NullReferenceException or IndexOutOfRangeException)
        {
            return Status.BadRequest;
        }

        ulong height = ledger.Height;
        ulong start = Position(seek.Start, height, isStart: true);
        ulong stop = Position(seek.Stop, height, isStart: false);
        if (stop < start) return Status.BadRequest;
        if (seek.Behavior == SeekInfo.Types.SeekBehavior.FailIfNotReady && start >= height) return Status.NotFound;

        for (ulong n = start; n <= stop; n++)
        {
            if (ledger.Height <= n)
            {
                if (seek.Behavior == SeekInfo.Types.SeekBehavior.FailIfNotReady) return Status.NotFound;
                await ledger.WaitForHeightAsync(n + 1, cancellationToken).ConfigureAwait(false);
            }
            var block = ledger.GetBlock(n);
            var response = form switch
            {
                DeliveredForm.Filtered => new DeliverResponse { FilteredBlock = BlockEvents.Filter(block, channel.ChannelId) },
                DeliveredForm.WithPrivateData => new DeliverResponse { BlockAndPrivateData = WithPrivateData(block, creator) },
                _ => new DeliverResponse { Block = block },
            };
            await responses.WriteAsync(response, cancellationToken).ConfigureAwait(false);
            if (n == ulong.MaxValue) break;
        }
        return Status.Success;
    }

    private BlockAndPrivateData WithPrivateData(Block block, ValidatedIdentity requester)
    {
        var result = new BlockAndPrivateData { Block = block };
        if (ledger.PrivateData is { } privateData)
            result.PrivateDataMap.Add(privateData.ForDelivery(peerMspId, block.Header.Number, ledger.Height, requester.Identity.MspId));
        return result;
    }

    private static ulong Position(SeekPosition? position, ulong height, bool isStart) => position?.TypeCase switch
    {
        SeekPosition.TypeOneofCase.Oldest => 0,
        SeekPosition.TypeOneofCase.Newest => height == 0 ? 0 : height - 1,
        SeekPosition.TypeOneofCase.Specified => position.Specified.Number,
        _ => isStart ? (height == 0 ? 0 : height - 1) : ulong.MaxValue,
    };
}
