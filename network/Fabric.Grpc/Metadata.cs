namespace Fabric.Grpc;

/// <summary>gRPC custom metadata (HTTP/2 headers or trailers). Keys are lower case; "-bin" keys carry base64.</summary>
public sealed class Metadata : List<KeyValuePair<string, string>>
{
    public void Add(string key, string value) => Add(new KeyValuePair<string, string>(key.ToLowerInvariant(), value));

    /// <summary>The first value for <paramref name="key"/>, or null.</summary>
    public string? Get(string key)
    {
        foreach (var (k, v) in this)
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }
}
