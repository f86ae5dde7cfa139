using System.Security.Cryptography.X509Certificates;
using YamlDotNet.RepresentationModel;

namespace Fabric.Protocol.Msp;

/// <summary>
/// The NodeOUs section of an MSP folder's <c>config.yaml</c> (as cryptogen and Fabric CA write it): which
/// organisational unit in a certificate makes an identity a client, peer, admin or orderer.
/// </summary>
/// <example><code>
/// var ous = NodeOuConfiguration.Load("msp/config.yaml");
/// NodeOuRole? role = ous.RoleOf(identity.Certificate); // NodeOuRole.Client for User1
/// </code></example>
public sealed record NodeOuConfiguration(
    bool Enabled,
    NodeOuIdentifier? Client,
    NodeOuIdentifier? Peer,
    NodeOuIdentifier? Admin,
    NodeOuIdentifier? Orderer)
{
    /// <summary>NodeOUs switched off: no identity has a role from its OU.</summary>
    public static NodeOuConfiguration Disabled { get; } = new(false, null, null, null, null);

    /// <summary>
    /// The role <paramref name="certificate"/>'s OU gives it, or null when NodeOUs are off or no rule matches.
    /// A rule bound to a CA certificate matches only certificates that CA issued.
    /// </summary>
    public NodeOuRole? RoleOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!Enabled) return null;
        var units = OrganizationalUnits(certificate);
        foreach (var (role, rule) in Rules())
        {
            if (rule is null || !units.Contains(rule.OrganizationalUnit)) continue;
            if (rule.Certificate is null || certificate.IssuerName.RawData.AsSpan().SequenceEqual(rule.Certificate.SubjectName.RawData))
                return role;
        }
        return null;
    }

    /// <summary>The OU values of a certificate's subject.</summary>
    public static IReadOnlySet<string> OrganizationalUnits(X509Certificate2 certificate) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.11")
            .Select(rdn => rdn.GetSingleElementValue() ?? "")
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Reads <paramref name="configYamlPath"/>; certificate paths in it are relative to its folder. A missing
    /// file means NodeOUs are off. Throws <see cref="FormatException"/> when the YAML is not a NodeOUs config.
    /// </summary>
    public static NodeOuConfiguration Load(string configYamlPath)
    {
        if (!File.Exists(configYamlPath)) return Disabled;
        var folder = Path.GetDirectoryName(Path.GetFullPath(configYamlPath))!;
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(configYamlPath);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"{configYamlPath}: not valid YAML ({e.Message}).", e);
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root) return Disabled;
        if (Child(root, "NodeOUs") is not YamlMappingNode nodeOus) return Disabled;
        bool enabled = Scalar(nodeOus, "Enable") is { } flag && bool.TryParse(flag, out var on) && on;
        return new NodeOuConfiguration(enabled,
            Identifier(nodeOus, "ClientOUIdentifier", folder, configYamlPath),
            Identifier(nodeOus, "PeerOUIdentifier", folder, configYamlPath),
            Identifier(nodeOus, "AdminOUIdentifier", folder, configYamlPath),
            Identifier(nodeOus, "OrdererOUIdentifier", folder, configYamlPath));
    }

    private IEnumerable<(NodeOuRole, NodeOuIdentifier?)> Rules() =>
        [(NodeOuRole.Admin, Admin), (NodeOuRole.Peer, Peer), (NodeOuRole.Orderer, Orderer), (NodeOuRole.Client, Client)];

    private static NodeOuIdentifier? Identifier(YamlMappingNode nodeOus, string key, string folder, string file)
    {
        if (Child(nodeOus, key) is not YamlMappingNode node) return null;
        var unit = Scalar(node, "OrganizationalUnitIdentifier")
            ?? throw new FormatException($"{file}: NodeOUs.{key} has no OrganizationalUnitIdentifier.");
        var certificatePath = Scalar(node, "Certificate");
        X509Certificate2? certificate = null;
        if (!string.IsNullOrEmpty(certificatePath))
        {
            var full = Path.Combine(folder, certificatePath);
            if (!File.Exists(full)) throw new FormatException($"{file}: NodeOUs.{key}.Certificate {certificatePath} does not exist.");
            certificate = X509Certificate2.CreateFromPem(File.ReadAllText(full));
        }
        return new NodeOuIdentifier(unit, certificate);
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;
}
