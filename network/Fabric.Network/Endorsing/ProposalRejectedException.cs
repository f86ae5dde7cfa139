namespace Fabric.Network.Endorsing;

/// <summary>A proposal the peer refuses before running any chaincode (bad signature, access denied, duplicate txid, ...).</summary>
public sealed class ProposalRejectedException(string message) : Exception(message);
