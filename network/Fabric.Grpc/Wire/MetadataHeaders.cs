namespace Fabric.Grpc.Wire;

/// <summary>Which HTTP/2 headers are custom metadata and which belong to the protocol.</summary>
internal static class MetadataHeaders
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "content-length", "te", "host", "user-agent", "accept-encoding",
        GrpcProtocol.Timeout, GrpcProtocol.Encoding, GrpcProtocol.AcceptEncoding,
        GrpcProtocol.Status, GrpcProtocol.Message,
    };

    /// <summary>True for a header that a caller may set or read as metadata.</summary>
    public static bool IsCustom(string name) => name.Length > 0 && name[0] != ':' && !Reserved.Contains(name);

    public static Metadata From(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var metadata = new Metadata();
        foreach (var (name, value) in headers)
            if (IsCustom(name)) metadata.Add(name, value);
        return metadata;
    }
}
