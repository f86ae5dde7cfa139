namespace Fabric.Shim.Stub;

/// <summary>One result of a state query.</summary>
public sealed record KeyValue(string Key, byte[] Value);
