using Fabric.Protocol.Transactions;

namespace Fabric.Network.Blocks;

/// <summary>What the peer reads from an endorser transaction: Fabric accepts exactly one chaincode action per transaction.</summary>
public static class EndorserTransactions
{
    /// <summary>The transaction's single endorsed action; null for other transaction types or any other number of actions.</summary>
    public static EndorsedAction? SingleAction(this TransactionEnvelope tx) => tx.Actions.Count == 1 ? tx.Actions[0] : null;
}
