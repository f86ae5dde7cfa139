using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CashTransfer.Gateway.Storage;
using Fabric.Client;
using Grpc.Core;
using Fabric.Grpc;
using Google.Protobuf;
using Protos;

namespace CashTransfer.Gateway.Ledger.Fabric;

/// <summary>
/// The ledger port over Fabric.Client: the fine-grained flow (endorse, then submit the stored envelope, then the
/// commit status of its transaction id), evaluation, and chaincode events resumed from the projection's checkpoint.
/// Chaincode refusals ("chaincode response 409, ...") become <see cref="ChaincodeRejectedException"/> with the
/// chaincode's status; unreachable or slow peers become <see cref="LedgerUnavailableException"/>; a transaction over a
/// message size limit becomes <see cref="LedgerTransactionTooLargeException"/>.
/// </summary>
public sealed partial class FabricLedgerGateway(IFabricIdentities identities, string channel, string chaincode) : ILedgerGateway
{
    private global::Fabric.Client.Contract ContractFor(LedgerCaller caller) => identities.For(caller).GetNetwork(channel).GetContract(chaincode);

    public async Task<PreparedTransaction> EndorseAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        try
        {
            var transaction = await ContractFor(caller).NewProposal(function, new ProposalOptions().AddArguments([.. arguments])).EndorseAsync(cancellationToken: ct);
            return new PreparedTransaction(transaction.TransactionId, transaction.Bytes, transaction.Result);
        }
        catch (Exception e) when (e is GatewayException or RpcException)
        {
            throw Map(e);
        }
    }

    public async Task SubmitAsync(LedgerCaller caller, PreparedTransaction transaction, CancellationToken ct)
    {
        try
        {
            await identities.For(caller).NewTransaction(transaction.Envelope).SubmitAsync(cancellationToken: ct);
        }
        catch (Exception e) when ((e is GatewayException or RpcException) && GatewayResilience.IsTooLarge(e))
        {
            throw new LedgerTransactionTooLargeException($"Submit of {transaction.TxId} was refused as too large: {e.Message}", e); // no orderer takes it
        }
        catch (Exception e) when (e is GatewayException or RpcException)
        {
            // Whatever the orderer said, the outcome is decided by the commit status of this transaction id.
            throw new LedgerUnavailableException($"Submit of {transaction.TxId} failed: {e.Message}", e);
        }
    }

    public async Task<CommitStatusResult?> GetCommitStatusAsync(LedgerCaller caller, string txId, TimeSpan wait, CancellationToken ct)
    {
        var gateway = identities.For(caller);
        var request = new global::Gateway.CommitStatusRequest { ChannelId = channel, TransactionId = txId, Identity = ByteString.CopyFrom(gateway.Identity.ToSerializedIdentity()) };
        try
        {
            var status = await gateway.NewCommit(new global::Gateway.SignedCommitStatusRequest { Request = request.ToByteString() }.ToByteArray()).GetStatusAsync(wait, ct);
            var outcome = status.Code switch
            {
                TxValidationCode.Valid => CommitOutcome.Committed,
                TxValidationCode.MvccReadConflict or TxValidationCode.PhantomReadConflict => CommitOutcome.Conflict,
                _ => CommitOutcome.Invalid,
            };
            return new CommitStatusResult(outcome, status.Code.ToString(), (long)status.BlockNumber);
        }
        catch (GatewayException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            return null; // not in a block within the wait
        }
        catch (Exception e) when (e is GatewayException or RpcException)
        {
            throw Map(e);
        }
    }

    public async Task<byte[]> EvaluateAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        try
        {
            return await ContractFor(caller).EvaluateAsync(function, new ProposalOptions().AddArguments([.. arguments]), cancellationToken: ct);
        }
        catch (Exception e) when (e is GatewayException or RpcException)
        {
            throw Map(e);
        }
    }

    public async IAsyncEnumerable<LedgerEvent> ListenAsync(LedgerCaller caller, ProjectionCheckpoint? after, [EnumeratorCancellation] CancellationToken ct)
    {
        var options = after is null
            ? new EventsOptions { StartBlock = 0 }
            : new EventsOptions { Checkpoint = new Position((ulong)after.BlockNumber, after.TxId) };
        await using var events = identities.For(caller).GetNetwork(channel).GetChaincodeEventsAsync(chaincode, options, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await events.MoveNextAsync()) yield break;
            }
            catch (Exception e) when (e is GatewayException or RpcException)
            {
                throw Map(e);
            }
            var e2 = events.Current;
            yield return new LedgerEvent((long)e2.BlockNumber, e2.TransactionId, e2.EventName, e2.Payload);
        }
    }

    private sealed record Position(ulong? BlockNumber, string? TransactionId) : ICheckpoint;

    [GeneratedRegex(@"chaincode response (\d{3}), (.*)", RegexOptions.Singleline)]
    private static partial Regex ChaincodeResponse();

    /// <summary>A transient gRPC status means the ledger was not reached; a chaincode response carries the contract's own status.</summary>
    internal static LedgerException Map(Exception e)
    {
        if (GatewayResilience.IsEndorsementMismatch(e)) return new EndorsementMismatchException(e.Message, e);
        if (GatewayResilience.IsTooLarge(e)) return new LedgerTransactionTooLargeException(e.Message, e);
        if (GatewayResilience.IsTransient(e)) return new LedgerUnavailableException(e.Message, e);
        var messages = e is GatewayException g ? g.Details.Select(d => d.Message).Prepend(g.Message) : [e.Message];
        foreach (var message in messages)
            if (ChaincodeResponse().Match(message) is { Success: true } m)
                return new ChaincodeRejectedException(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value);
        return new ChaincodeRejectedException(500, e.Message);
    }
}
