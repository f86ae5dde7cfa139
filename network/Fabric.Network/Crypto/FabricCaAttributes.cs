using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Fabric.Network.Crypto;

/// <summary>
/// Fabric CA's enrollment-attribute extension: OID 1.2.3.4.5.6.7.8.1, non-critical, whose value is the JSON
/// <c>{"attrs":{"name":"value",...}}</c>. Chaincode reads it with ClientIdentity.GetAttributeValue.
/// </summary>
public static class FabricCaAttributes
{
    public const string Oid = "1.2.3.4.5.6.7.8.1";

    public static X509Extension CreateExtension(IReadOnlyDictionary<string, string> attributes)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["attrs"] = attributes });
        return new X509Extension(Oid, json, critical: false);
    }
}
