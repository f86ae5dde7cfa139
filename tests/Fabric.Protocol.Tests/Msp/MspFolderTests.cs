using System.Security.Cryptography;
using Fabric.Protocol.Msp;
using Fabric.Protocol.Tests.Vectors;

namespace Fabric.Protocol.Tests.Msp;

/// <summary>MSP folders that are not what the layout says give clear errors.</summary>
public sealed class MspFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("msp-test-").FullName;

    private void CopyUser1()
    {
        var source = VectorsFolder.PathOf("crypto/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public void A_key_that_does_not_match_the_certificate_is_rejected()
    {
        CopyUser1();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(_folder, "keystore", "priv_sk"), other.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<FormatException>(() => MspFolder.Load(_folder, "Org1MSP"));

        Assert.Contains("matches the certificate", error.Message);
    }

    [Fact]
    public void The_matching_key_is_found_among_several_in_the_keystore()
    {
        CopyUser1();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(_folder, "keystore", "0000_sk"), other.ExportPkcs8PrivateKeyPem());

        using var msp = MspFolder.Load(_folder, "Org1MSP");

        Assert.True(msp.Identity!.Verify("m"u8, msp.Signer!.Sign("m"u8)));
    }

    [Fact]
    public void A_missing_folder_is_named_in_the_error()
    {
        var missing = Path.Combine(_folder, "nope");

        var error = Assert.Throws<DirectoryNotFoundException>(() => MspFolder.Load(missing, "Org1MSP"));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void A_broken_certificate_is_a_format_error()
    {
        CopyUser1();
        File.WriteAllText(Directory.GetFiles(Path.Combine(_folder, "signcerts"))[0], "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        Assert.Throws<FormatException>(() => MspFolder.Load(_folder, "Org1MSP"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
