using Kvrwset;

namespace Fabric.Protocol.Transactions;

/// <summary>The reads, writes and range queries one chaincode namespace made in a transaction (public data).</summary>
public sealed record NamespaceReadWriteSet(string Namespace, KVRWSet Set, Rwset.NsReadWriteSet Raw);
