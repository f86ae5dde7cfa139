using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabric.Network.Configuration;

namespace Fabric.Network.Crypto;

/// <summary>Writes one organisation's material in cryptogen's folder layout, with NodeOUs enabled.</summary>
internal static class CryptogenLayoutWriter
{
    /// <summary>The marker written last: a folder without it is from an interrupted run and is rewritten.</summary>
    private const string CompleteMarker = ".complete";

    public static bool IsComplete(string directory, NodeOrganization org) => File.Exists(Path.Combine(directory, CompleteMarker));

    public static void WriteOrganization(string directory, NodeOrganization org, bool isOrderer)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        var domain = org.Domain;
        using var ca = CertificateAuthority.Create($"ca.{domain}", domain);
        using var tlsCa = CertificateAuthority.Create($"tlsca.{domain}", domain);
        var caFile = $"ca.{domain}-cert.pem";
        var tlsCaFile = $"tlsca.{domain}-cert.pem";

        WriteCa(Path.Combine(directory, "ca"), caFile, ca);
        WriteCa(Path.Combine(directory, "tlsca"), tlsCaFile, tlsCa);
        WriteMspRoot(Path.Combine(directory, "msp"), ca, tlsCa, caFile, tlsCaFile);

        var nodeName = isOrderer ? $"orderer.{domain}" : $"peer0.{domain}";
        var nodeDir = Path.Combine(directory, isOrderer ? "orderers" : "peers", nodeName);
        WriteIdentity(nodeDir, nodeName, isOrderer ? "orderer" : "peer", ca, tlsCa, caFile, tlsCaFile, server: true);
        WriteIdentity(Path.Combine(directory, "users", $"Admin@{domain}"), $"Admin@{domain}", "admin", ca, tlsCa, caFile, tlsCaFile, server: false);
        if (!isOrderer)
            WriteIdentity(Path.Combine(directory, "users", $"User1@{domain}"), $"User1@{domain}", "client", ca, tlsCa, caFile, tlsCaFile, server: false);
        foreach (var user in (org as OrganizationDefinition)?.Users ?? [])
            WriteIdentity(Path.Combine(directory, "users", $"{user.Name}@{domain}"), $"{user.Name}@{domain}", "client", ca, tlsCa, caFile, tlsCaFile, server: false, user.Attributes);
        File.WriteAllText(Path.Combine(directory, CompleteMarker), "");
    }

    private static void WriteCa(string dir, string certFile, CertificateAuthority ca)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, certFile), ca.Certificate.ExportCertificatePem() + "\n");
        WritePrivateKey(Path.Combine(dir, "priv_sk"), ca.Key);
    }

    private static void WriteMspRoot(string msp, CertificateAuthority ca, CertificateAuthority tlsCa, string caFile, string tlsCaFile)
    {
        Directory.CreateDirectory(Path.Combine(msp, "cacerts"));
        Directory.CreateDirectory(Path.Combine(msp, "tlscacerts"));
        File.WriteAllText(Path.Combine(msp, "cacerts", caFile), ca.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(msp, "tlscacerts", tlsCaFile), tlsCa.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(msp, "config.yaml"), NodeOuConfig(caFile));
    }

    private static void WriteIdentity(string dir, string name, string ou, CertificateAuthority ca, CertificateAuthority tlsCa, string caFile, string tlsCaFile, bool server, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var msp = Path.Combine(dir, "msp");
        WriteMspRoot(msp, ca, tlsCa, caFile, tlsCaFile);
        var (cert, key) = ca.Issue(name, ou, tls: false, attributes: attributes);
        using (cert)
        using (key)
        {
            Directory.CreateDirectory(Path.Combine(msp, "signcerts"));
            Directory.CreateDirectory(Path.Combine(msp, "keystore"));
            File.WriteAllText(Path.Combine(msp, "signcerts", $"{name}-cert.pem"), cert.ExportCertificatePem() + "\n");
            WritePrivateKey(Path.Combine(msp, "keystore", "priv_sk"), key);
        }

        var tls = Path.Combine(dir, "tls");
        Directory.CreateDirectory(tls);
        var hostName = name.Contains('@') ? name[(name.IndexOf('@') + 1)..] : name;
        var (tlsCert, tlsKey) = tlsCa.Issue(name, null, tls: true, dnsNames: [hostName, name.Split('.')[0]]);
        using (tlsCert)
        using (tlsKey)
        {
            File.WriteAllText(Path.Combine(tls, "ca.crt"), tlsCa.Certificate.ExportCertificatePem() + "\n");
            File.WriteAllText(Path.Combine(tls, server ? "server.crt" : "client.crt"), tlsCert.ExportCertificatePem() + "\n");
            WritePrivateKey(Path.Combine(tls, server ? "server.key" : "client.key"), tlsKey);
        }
    }

    private static void WritePrivateKey(string path, ECDsa key)
    {
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static string NodeOuConfig(string caFile) => $"""
        NodeOUs:
          Enable: true
          ClientOUIdentifier:
            Certificate: cacerts/{caFile}
            OrganizationalUnitIdentifier: client
          PeerOUIdentifier:
            Certificate: cacerts/{caFile}
            OrganizationalUnitIdentifier: peer
          AdminOUIdentifier:
            Certificate: cacerts/{caFile}
            OrganizationalUnitIdentifier: admin
          OrdererOUIdentifier:
            Certificate: cacerts/{caFile}
            OrganizationalUnitIdentifier: orderer

        """;
}
