using Grpc.Core;

namespace Fabric.Client;

/// <summary>A Gateway call about one transaction failed; adds the transaction id to <see cref="GatewayException"/>.</summary>
public abstract class GatewayTransactionException : GatewayException
{
    protected GatewayTransactionException(string step, string transactionId, RpcException cause)
        : base($"{step} of transaction {transactionId} failed: {cause.StatusCode}: {cause.Status.Detail}", cause)
    {
        TransactionId = transactionId;
    }

    public string TransactionId { get; }
}

/// <summary>
/// Endorsement failed: the gateway could not collect enough endorsements (for example the chaincode returned
/// an error). Nothing reached the orderer; a fresh proposal may be tried.
/// </summary>
public sealed class EndorseException(string transactionId, RpcException cause)
    : GatewayTransactionException("Endorsement", transactionId, cause);

/// <summary>
/// Submitting the endorsed transaction to the orderer failed. When the status is UNAVAILABLE or
/// DEADLINE_EXCEEDED the outcome is unknown: check the commit status of <see cref="GatewayTransactionException.TransactionId"/>
/// before sending anything new.
/// </summary>
public sealed class SubmitException(string transactionId, RpcException cause)
    : GatewayTransactionException("Submit", transactionId, cause);

/// <summary>Reading the commit status of a submitted transaction failed (not the transaction itself).</summary>
public sealed class CommitStatusException(string transactionId, RpcException cause)
    : GatewayTransactionException("Commit status", transactionId, cause);
