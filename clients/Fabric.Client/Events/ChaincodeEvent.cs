namespace Fabric.Client;

/// <summary>An event that a committed, valid transaction emitted from chaincode (<c>SetEvent</c>).</summary>
/// <param name="BlockNumber">The block holding the transaction.</param>
/// <param name="TransactionId">The transaction that emitted it.</param>
/// <param name="ChaincodeName">The chaincode that emitted it.</param>
/// <param name="EventName">The name given by the chaincode.</param>
/// <param name="Payload">The event payload bytes.</param>
public sealed record ChaincodeEvent(ulong BlockNumber, string TransactionId, string ChaincodeName, string EventName, byte[] Payload);
