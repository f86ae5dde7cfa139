namespace Fabric.Shim.Stub;

/// <summary>One entry of a key's history: the transaction that wrote it, when, and the value (or its deletion).</summary>
public sealed record KeyModification(string TxId, byte[] Value, DateTimeOffset Timestamp, bool IsDelete);
