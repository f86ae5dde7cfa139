using Fabric.Protocol.Msp;
using Fabric.Protocol.Tests.Vectors;

namespace Fabric.Protocol.Tests.Msp;

/// <summary>The cryptogen MSP folders in vectors/crypto: loading, key/cert match, CA chains and NodeOU roles.</summary>
public class CryptoVectorTests
{
    private const string User1Msp = "crypto/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp";

    public static TheoryData<string> SigningCertificates => VectorRows.Of(VectorCrypto.SigningCertificateFiles);

    [Fact]
    public void Client_msp_folder_loads_an_identity_and_a_matching_signer()
    {
        using var msp = MspFolder.Load(VectorsFolder.PathOf(User1Msp), "Org1MSP");

        var identity = Assert.IsType<Fabric.Protocol.Identity.X509Identity>(msp.Identity);
        var signer = Assert.IsType<Fabric.Protocol.Identity.EcdsaSigner>(msp.Signer);
        byte[] message = "proposal bytes"u8.ToArray();
        Assert.Equal("Org1MSP", identity.MspId);
        Assert.Equal("User1@org1.example.com", VectorCrypto.CommonName(identity.Certificate));
        Assert.True(identity.Verify(message, signer.Sign(message)));
        Assert.Single(msp.CaCertificates);
        Assert.Single(msp.TlsCaCertificates);
        Assert.True(msp.NodeOus.Enabled);
        Assert.Equal(NodeOuRole.Client, msp.NodeOus.RoleOf(identity.Certificate));
        Assert.True(msp.ValidateCertificate(identity.Certificate).IsValid);
    }

    [Theory]
    [MemberData(nameof(SigningCertificates))]
    public void Signing_certificate_chains_to_its_organisation_ca_and_no_other(string path)
    {
        var organisation = VectorCrypto.OrganisationFolderOf(VectorRows.Require(path));
        var certificate = VectorCrypto.IdentityOf($"x {Path.GetFileName(path)[..^"-cert.pem".Length]}").Certificate;
        using var own = MspFolder.Load(VectorsFolder.PathOf(organisation + "/msp"), VectorCrypto.MspIdOf(organisation));
        var others = Directory.GetDirectories(VectorsFolder.PathOf("crypto"), "msp", SearchOption.AllDirectories)
            .Where(d => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(d))) is "peerOrganizations" or "ordererOrganizations")
            .Where(d => Path.GetFullPath(d) != Path.GetFullPath(VectorsFolder.PathOf(organisation + "/msp")));

        var result = own.ValidateCertificate(certificate);

        Assert.True(result.IsValid, result.Error);
        Assert.Null(own.Identity);
        Assert.NotEmpty(others);
        foreach (var other in others)
            Assert.False(CertificateChain.Validate(certificate, MspFolder.Load(other, "Other").CaCertificates).IsValid);
    }

    [Theory]
    [MemberData(nameof(SigningCertificates))]
    public void Node_ou_role_comes_from_the_certificates_organisational_unit(string path)
    {
        var organisation = VectorCrypto.OrganisationFolderOf(VectorRows.Require(path));
        var certificate = VectorCrypto.IdentityOf($"x {Path.GetFileName(path)[..^"-cert.pem".Length]}").Certificate;
        var nodeOus = NodeOuConfiguration.Load(VectorsFolder.PathOf(organisation + "/msp/config.yaml"));
        var expected = path.Contains("/users/") ? NodeOuRole.Client : path.Contains("/orderers/") ? NodeOuRole.Orderer : NodeOuRole.Peer;

        Assert.Equal(expected, nodeOus.RoleOf(certificate));
        Assert.Contains(expected.ToString().ToLowerInvariant(), NodeOuConfiguration.OrganizationalUnits(certificate));
    }

    [Fact]
    public void A_ca_certificate_is_not_accepted_as_a_member_identity()
    {
        using var msp = MspFolder.Load(VectorsFolder.PathOf("crypto/peerOrganizations/org1.example.com/msp"), "Org1MSP");

        var result = msp.ValidateCertificate(msp.CaCertificates[0]);

        Assert.False(result.IsValid);
        Assert.Contains("CA certificate", result.Error);
    }
}
