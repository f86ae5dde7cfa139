namespace Fabric.Shim.Testing;

/// <summary>A chaincode event as committed: the transaction's single event, with its block number.</summary>
public sealed record ChaincodeEventRecord(long BlockNumber, string TxId, string EventName, byte[] Payload);
