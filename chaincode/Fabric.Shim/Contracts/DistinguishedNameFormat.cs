using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Fabric.Shim.Contracts;

/// <summary>Writes an X.500 name the way fabric-contract-api's ClientIdentity does: <c>/SHORT=value</c> per attribute, in encoded order.</summary>
internal static class DistinguishedNameFormat
{
    private static readonly Dictionary<string, string> ShortNames = new()
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.4"] = "SN",
        ["2.5.4.5"] = "serialName",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "street",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.12"] = "title",
        ["2.5.4.42"] = "GN",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["1.2.840.113549.1.9.1"] = "E",
    };

    public static string Slashed(X500DistinguishedName name)
    {
        var text = new StringBuilder();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            if (rdn.HasMultipleElements) continue; // Fabric identities never use multi-valued RDNs
            var oid = rdn.GetSingleElementType().Value ?? "";
            var value = rdn.GetSingleElementValue() ?? "";
            text.Append('/').Append(ShortNames.GetValueOrDefault(oid, oid)).Append('=').Append(value.Replace("/", "\\/"));
        }
        return text.ToString();
    }
}
