using Fabric.Protocol.Transactions;
using Grpc.Core;
using Fabric.Grpc;
using Fabric.Grpc.Server;
using Fabric.Network.Ledger;
using Fabric.Network.Validation;
using Gateway;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Gateway;

/// <summary>
/// Gateway.ChaincodeEvents: from the start block (a given number, the block of a given transaction, or the
/// next block to commit), one response per block that has events of the chaincode, waiting for new blocks
/// until the client cancels. Events up to and including after_transaction_id are skipped.
/// </summary>
public sealed class ChaincodeEventsStream(ChannelContext channel, PeerLedger ledger)
{
    public async Task RunAsync(SignedChaincodeEventsRequest signed, IServerStreamWriter<ChaincodeEventsResponse> responses, CancellationToken cancellationToken)
    {
        if (signed.Request.IsEmpty) throw GatewayErrors.Create(StatusCode.InvalidArgument, "a chaincode events request is required");
        ChaincodeEventsRequest request;
        try { request = ChaincodeEventsRequest.Parser.ParseFrom(signed.Request); }
        catch (InvalidProtocolBufferException e) { throw GatewayErrors.Create(StatusCode.InvalidArgument, "invalid chaincode events request: " + e.Message); }
        SignedRequestChecker.Check(channel, request.ChannelId, request.Identity, signed.Request, signed.Signature, channel.Policies.Readers);

        ulong next = StartBlock(request);
        bool passedPrevious = string.IsNullOrEmpty(request.AfterTransactionId);
        while (!cancellationToken.IsCancellationRequested)
        {
            await ledger.WaitForHeightAsync(next + 1, cancellationToken).ConfigureAwait(false);
            var block = ledger.GetBlock(next);
            var response = new ChaincodeEventsResponse { BlockNumber = next };
            foreach (var ev in BlockEvents.ChaincodeEvents(block))
            {
                if (!passedPrevious)
                {
                    if (ev.TxId == request.AfterTransactionId) passedPrevious = true;
                    continue;
                }
                if (ev.ChaincodeId == request.ChaincodeId) response.Events.Add(ev);
            }
            if (response.Events.Count > 0) await responses.WriteAsync(response, cancellationToken).ConfigureAwait(false);
            next++;
        }
    }

    private ulong StartBlock(ChaincodeEventsRequest request)
    {
        if (!string.IsNullOrEmpty(request.AfterTransactionId) && ledger.FindTransaction(request.AfterTransactionId) is { } tx)
            return tx.BlockNumber;
        var position = request.StartPosition;
        return position?.TypeCase switch
        {
            // next_commit (newer than the .proto snapshot) parses as an unknown field, i.e. None.
            null or Orderer.SeekPosition.TypeOneofCase.None => ledger.Height,
            Orderer.SeekPosition.TypeOneofCase.Specified => position.Specified.Number,
            _ => throw GatewayErrors.Create(StatusCode.InvalidArgument, $"invalid start position type: {position.TypeCase}"),
        };
    }
}
