using System.Security.Cryptography.X509Certificates;
using Fabric.Protocol.Identity;

namespace Fabric.Protocol.Tests.Vectors;

/// <summary>The certificates in vectors/crypto, found by MSP id and common name as the indexes name signers.</summary>
public static class VectorCrypto
{
    /// <summary>The signing certificate files of every identity in the corpus (peers, user, orderers).</summary>
    public static IEnumerable<string> SigningCertificateFiles() =>
        Directory.GetFiles(VectorsFolder.PathOf("crypto"), "*-cert.pem", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "signcerts")
            .Select(f => Path.GetRelativePath(VectorsFolder.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>The identity "MSPID commonName" (the index's signer notation) as the crypto folder gives it.</summary>
    public static X509Identity IdentityOf(string signer)
    {
        var (mspId, commonName) = (signer[..signer.IndexOf(' ')], signer[(signer.IndexOf(' ') + 1)..]);
        var file = SigningCertificateFiles().Single(f => Path.GetFileName(f) == commonName + "-cert.pem");
        return new X509Identity(mspId, File.ReadAllText(VectorsFolder.PathOf(file)));
    }

    /// <summary>The organisation folder (…/peerOrganizations/org1.example.com) a signing certificate file belongs to.</summary>
    public static string OrganisationFolderOf(string signingCertificateFile)
    {
        var parts = signingCertificateFile.Split('/');
        return string.Join('/', parts.Take(Array.IndexOf(parts, "crypto") + 3));
    }

    public static string MspIdOf(string organisationFolder) => organisationFolder switch
    {
        _ when organisationFolder.EndsWith("org1.example.com") => "Org1MSP",
        _ when organisationFolder.EndsWith("org2.example.com") => "Org2MSP",
        _ when organisationFolder.EndsWith("ordererOrganizations/example.com") => "OrdererMSP",
        _ => throw new InvalidOperationException($"No MSP id known for {organisationFolder}"),
    };

    public static string CommonName(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
}
