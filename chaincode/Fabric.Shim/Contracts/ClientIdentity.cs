using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Fabric.Protocol.Identity;

namespace Fabric.Shim.Contracts;

/// <summary>
/// The submitter of a transaction as the chaincode sees it: MSP id and X.509 certificate, with the
/// attributes that Fabric CA writes into the certificate (extension 1.2.3.4.5.6.7.8.1, JSON <c>{"attrs":{...}}</c>).
/// </summary>
public sealed class ClientIdentity
{
    /// <summary>The OID of the certificate extension where Fabric CA puts enrollment attributes.</summary>
    public const string AttributesExtensionOid = "1.2.3.4.5.6.7.8.1";

    private readonly IReadOnlyDictionary<string, string> _attributes;

    public ClientIdentity(string mspId, X509Certificate2 certificate)
    {
        MspId = mspId;
        Certificate = certificate;
        _attributes = ReadAttributes(certificate);
    }

    /// <summary>Reads the creator of a transaction (a serialized <c>msp.SerializedIdentity</c>).</summary>
    public static ClientIdentity FromCreator(ReadOnlySpan<byte> serializedIdentity)
    {
        var identity = X509Identity.FromSerializedIdentity(serializedIdentity);
        return new ClientIdentity(identity.MspId, identity.Certificate);
    }

    public string MspId { get; }
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// Fabric's identity string <c>x509::{subject}::{issuer}</c>, each name written as fabric-contract-api writes it:
    /// <c>/C=US/ST=California/L=San Francisco/OU=client/CN=User1@org1.example.com</c> (certificate order).
    /// </summary>
    public string Id => $"x509::{DistinguishedNameFormat.Slashed(Certificate.SubjectName)}::{DistinguishedNameFormat.Slashed(Certificate.IssuerName)}";

    /// <summary>The value of a Fabric CA attribute, or null when the certificate does not carry it.</summary>
    public string? GetAttributeValue(string name) => _attributes.TryGetValue(name, out var value) ? value : null;

    /// <summary>True when the attribute is present with exactly this value.</summary>
    public bool AssertAttributeValue(string name, string value) => GetAttributeValue(name) == value;

    private static IReadOnlyDictionary<string, string> ReadAttributes(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[AttributesExtensionOid];
        if (extension is null) return new Dictionary<string, string>();
        try
        {
            using var json = JsonDocument.Parse(extension.RawData);
            if (!json.RootElement.TryGetProperty("attrs", out var attrs) || attrs.ValueKind != JsonValueKind.Object)
                return new Dictionary<string, string>();
            return attrs.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>(); // a malformed extension grants no attributes
        }
    }
}
