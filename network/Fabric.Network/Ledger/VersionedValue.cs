using Google.Protobuf;

namespace Fabric.Network.Ledger;

/// <summary>A key's current value, its metadata entries (e.g. VALIDATION_PARAMETER) and its version.</summary>
public sealed record VersionedValue(ByteString Value, IReadOnlyDictionary<string, ByteString> Metadata, Version Version)
{
    public static readonly IReadOnlyDictionary<string, ByteString> NoMetadata = new Dictionary<string, ByteString>();
}
