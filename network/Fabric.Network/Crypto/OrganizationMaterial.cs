using System.Security.Cryptography.X509Certificates;
using Fabric.Network.Configuration;

namespace Fabric.Network.Crypto;

/// <summary>The crypto material of one organisation, read from its cryptogen-layout folder.</summary>
public sealed class OrganizationMaterial
{
    internal OrganizationMaterial(NodeOrganization definition, string directory, bool isOrderer)
    {
        Definition = definition;
        Directory = directory;
        var domain = definition.Domain;
        CaCertificateFile = Path.Combine(directory, "msp", "cacerts", $"ca.{domain}-cert.pem");
        TlsCaCertificateFile = Path.Combine(directory, "msp", "tlscacerts", $"tlsca.{domain}-cert.pem");
        CaCertificatePem = File.ReadAllText(CaCertificateFile);
        TlsCaCertificatePem = File.ReadAllText(TlsCaCertificateFile);
        CaCertificate = X509Certificate2.CreateFromPem(CaCertificatePem);
        TlsCaCertificate = X509Certificate2.CreateFromPem(TlsCaCertificatePem);
        var nodeName = isOrderer ? $"orderer.{domain}" : $"peer0.{domain}";
        var nodeDir = Path.Combine(directory, isOrderer ? "orderers" : "peers", nodeName);
        Node = new NodeCredentials(nodeName, definition.MspId, Path.Combine(nodeDir, "msp"), Path.Combine(nodeDir, "tls"), "server.crt", "server.key");
        Admin = User($"Admin@{domain}");
        User1 = isOrderer ? null : User($"User1@{domain}");
    }

    public NodeOrganization Definition { get; }
    public string MspId => Definition.MspId;
    public string Directory { get; }

    /// <summary>The organisation's MSP folder (cacerts, tlscacerts, config.yaml).</summary>
    public string MspDirectory => Path.Combine(Directory, "msp");
    public string CaCertificateFile { get; }
    public string TlsCaCertificateFile { get; }
    public string CaCertificatePem { get; }
    public string TlsCaCertificatePem { get; }
    public X509Certificate2 CaCertificate { get; }
    public X509Certificate2 TlsCaCertificate { get; }

    /// <summary>peer0 for an agency, the orderer for the ordering organisation.</summary>
    public NodeCredentials Node { get; }
    public NodeCredentials Admin { get; }

    /// <summary>The client identity (OU client); agencies only.</summary>
    public NodeCredentials? User1 { get; }

    /// <summary>A client user written from the definition's Users, e.g. <c>UserNamed("Operator")</c>.</summary>
    public NodeCredentials UserNamed(string name)
    {
        var fullName = $"{name}@{Definition.Domain}";
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "users", fullName)))
            throw new InvalidOperationException($"{Definition.MspId} has no user {name}; define it in the network file's users.");
        return User(fullName);
    }

    private NodeCredentials User(string name) =>
        new(name, Definition.MspId, Path.Combine(Directory, "users", name, "msp"), Path.Combine(Directory, "users", name, "tls"), "client.crt", "client.key");
}
