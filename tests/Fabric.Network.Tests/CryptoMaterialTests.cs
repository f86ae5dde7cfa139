using Fabric.Network.Crypto;
using Fabric.Network.Configuration;
using Fabric.Network.Membership;
using Fabric.Network.Tests.Support;
using Google.Protobuf;

namespace Fabric.Network.Tests;

public class CryptoMaterialTests
{
    private static TestChannel Channel => TestChannel.Instance;

    [Fact]
    public void Writes_the_cryptogen_layout_for_each_agency_and_the_orderer()
    {
        var root = Channel.Crypto.Root;
        foreach (var (domain, kind, node) in new[] { ("wfp.example.com", "peerOrganizations", "peers/peer0.wfp.example.com"), ("example.com", "ordererOrganizations", "orderers/orderer.example.com") })
        {
            var org = Path.Combine(root, kind, domain);
            Assert.True(File.Exists(Path.Combine(org, "msp", "cacerts", $"ca.{domain}-cert.pem")));
            Assert.True(File.Exists(Path.Combine(org, "msp", "tlscacerts", $"tlsca.{domain}-cert.pem")));
            Assert.Contains("OrganizationalUnitIdentifier: client", File.ReadAllText(Path.Combine(org, "msp", "config.yaml")));
            Assert.True(File.Exists(Path.Combine(org, node, "msp", "keystore", "priv_sk")));
            Assert.True(File.Exists(Path.Combine(org, node, "tls", "server.crt")));
            Assert.True(File.Exists(Path.Combine(org, "users", $"Admin@{domain}", "msp", "signcerts", $"Admin@{domain}-cert.pem")));
        }
        Assert.True(File.Exists(Path.Combine(root, "peerOrganizations", "unhcr.example.com", "users", "User1@unhcr.example.com", "tls", "client.key")));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Channel.Wfp.User1!.PrivateKeyFile));
    }

    [Fact]
    public void Byte_variants_of_one_identity_fill_the_cache_only_up_to_its_bound_and_still_validate()
    {
        var roots = Channel.Crypto.PeerOrganizations.ToDictionary(o => o.MspId, o => o.CaCertificate);
        var membership = new MembershipService(roots, cacheLimit: 8);
        var identity = Channel.Wfp.User1!.Identity.ToSerializedIdentity();

        for (var i = 0; i < 20; i++)
        {
            // The same identity with an unknown protobuf field (number 15, a varint) appended: other bytes, same member.
            byte[] variant = [.. identity, 15 << 3, (byte)i];
            Assert.Equal(NodeRole.Client, membership.Validate(variant).Role);
        }

        Assert.Equal(8, membership.CachedIdentities);
    }

    [Fact]
    public void An_identity_is_validated_once_whichever_message_its_bytes_arrive_in()
    {
        var roots = Channel.Crypto.PeerOrganizations.ToDictionary(o => o.MspId, o => o.CaCertificate);
        var membership = new MembershipService(roots);
        var identity = Channel.Wfp.User1!.Identity.ToSerializedIdentity();

        // Each signed message carries its own copy of the creator's bytes: the cache is keyed by their content.
        var first = membership.Validate(identity.ToArray());
        var again = Enumerable.Range(0, 5).Select(_ => membership.Validate(identity.ToArray())).ToList();
        byte[] other = [.. identity, 15 << 3, 1];
        var variant = membership.Validate(other);

        Assert.All(again, validated => Assert.Same(first, validated));
        Assert.NotSame(first, variant);
        Assert.Equal(2, membership.CachedIdentities);
    }

    [Fact]
    public void Identities_carry_their_NodeOU_role_and_chain_to_their_organisation_CA()
    {
        var m = Channel.Membership;
        Assert.Equal(NodeRole.Client, m.Validate(Channel.Wfp.User1!.Identity.ToSerializedIdentity()).Role);
        Assert.Equal(NodeRole.Peer, m.Validate(Channel.UnWomen.Node.Identity.ToSerializedIdentity()).Role);
        Assert.Equal(NodeRole.Admin, m.Validate(Channel.Unhcr.Admin.Identity.ToSerializedIdentity()).Role);
        Assert.Equal(NodeRole.Orderer, m.Validate(Channel.Crypto.Orderer.Node.Identity.ToSerializedIdentity()).Role);
    }

    [Fact]
    public void A_certificate_presented_under_another_organisations_MSP_id_is_refused()
    {
        var wfpCert = Channel.Wfp.User1!.Identity.CertificatePem;
        var forged = new Msp.SerializedIdentity { Mspid = "UNHCRMSP", IdBytes = ByteString.CopyFromUtf8(wfpCert) }.ToByteArray();
        Assert.Throws<IdentityException>(() => Channel.Membership.Validate(forged));
        var unknown = new Msp.SerializedIdentity { Mspid = "NopeMSP", IdBytes = ByteString.CopyFromUtf8(wfpCert) }.ToByteArray();
        Assert.Throws<IdentityException>(() => Channel.Membership.Validate(unknown));
    }

    [Fact]
    public void Private_keys_match_their_certificates_and_TLS_certificates_name_localhost()
    {
        using var signer = Channel.Wfp.User1!.CreateSigner();
        var message = "hello"u8.ToArray();
        Assert.True(Channel.Wfp.User1.Identity.Verify(message, signer.Sign(message)));
        using var tls = Channel.Wfp.Node.LoadTlsCertificate();
        Assert.True(tls.HasPrivateKey);
        Assert.True(tls.MatchesHostname("localhost"));
        Assert.True(tls.MatchesHostname("peer0.wfp.example.com"));
    }

    [Fact]
    public void Material_is_reused_on_the_next_start_and_regenerated_when_incomplete()
    {
        using var dir = new TempDirectory();
        var definition = NetworkDefinition.Default();
        var first = CryptoMaterial.LoadOrCreate(dir.Path, definition);
        var again = CryptoMaterial.LoadOrCreate(dir.Path, definition);
        Assert.Equal(first.Orderer.CaCertificatePem, again.Orderer.CaCertificatePem);
        Assert.Equal(first.PeerOrganizations[1].User1!.PrivateKeyPem, again.PeerOrganizations[1].User1!.PrivateKeyPem);

        File.Delete(Path.Combine(dir.Path, "peerOrganizations", "wfp.example.com", ".complete"));
        var rewritten = CryptoMaterial.LoadOrCreate(dir.Path, definition);
        Assert.NotEqual(first.PeerOrganizations[0].CaCertificatePem, rewritten.PeerOrganizations[0].CaCertificatePem);
        Assert.Equal(first.PeerOrganizations[2].CaCertificatePem, rewritten.PeerOrganizations[2].CaCertificatePem);
    }

    [Fact]
    public void Network_files_load_from_yaml_and_json_and_bad_ones_are_named()
    {
        var yaml = """
            channel: relief
            organizations:
              - name: WFP
                mspId: WFPMSP
                domain: wfp.example.com
            chaincodes:
              - name: cashtransfer
                address: 127.0.0.1:9999
                endorsementPolicy: "OR('WFPMSP.peer')"
            batch:
              maxMessageCount: 5
              batchTimeoutMs: 20
            tls: false
            """;
        var parsed = NetworkDefinitionLoader.ParseYaml(yaml);
        parsed.Validate();
        Assert.Equal("relief", parsed.Channel);
        Assert.Equal(5, parsed.Batch.MaxMessageCount);
        Assert.False(parsed.Tls);
        Assert.Equal("cashtransfer_1.0", parsed.Chaincodes[0].PackageIdOrDefault());

        var json = """{"channel":"relief","organizations":[{"name":"A","mspId":"AMSP","domain":"a.example.com"}],"chaincodes":[{"name":"cc"}]}""";
        var bad = NetworkDefinitionLoader.ParseJson(json);
        var error = Assert.Throws<InvalidDataException>(bad.Validate);
        Assert.Contains("address", error.Message);
    }
}
