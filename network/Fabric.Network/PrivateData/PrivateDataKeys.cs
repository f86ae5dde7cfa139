using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;

namespace Fabric.Network.PrivateData;

/// <summary>
/// How private data is named and hashed. Fabric puts SHA-256(key) and SHA-256(value) on the channel and keeps
/// hashed and private state in derived namespaces (<c>ns$$h</c>collection and <c>ns$$p</c>collection); this
/// network also keeps each organisation's private copy apart, since all its peers live in one process.
/// </summary>
public static class PrivateDataKeys
{
    public static byte[] KeyHash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static ByteString ValueHash(ByteString value) => ByteString.CopyFrom(SHA256.HashData(value.Span));

    /// <summary>The state key under which a key hash is stored (hex, so that it orders and prints).</summary>
    public static string HashedStateKey(ReadOnlySpan<byte> keyHash) => Convert.ToHexStringLower(keyHash);

    public static string HashedNamespace(string chaincode, string collection) => $"{chaincode}$$h{collection}";

    public static string PrivateNamespace(string chaincode, string collection, string mspId) => $"{chaincode}$$p{collection}@{mspId}";
}
