using Fabric.Network.Configuration;
using Fabric.Network.Policies;
using Fabric.Network.PrivateData;

namespace Fabric.Network.Tests;

/// <summary>Private data collections as the network file declares them (Fabric's collections_config.json fields).</summary>
public sealed class CollectionConfigurationTests
{
    private const string Yaml = """
        organizations:
          - { name: WFP, mspId: WFPMSP, domain: wfp.example.com }
          - { name: UNHCR, mspId: UNHCRMSP, domain: unhcr.example.com }
        chaincodes:
          - name: cashtransfer
            address: 127.0.0.1:9999
            collections:
              - name: beneficiaries
                policy: OR('WFPMSP.member','UNHCRMSP.member')
                requiredPeerCount: 1
                maxPeerCount: 2
                blockToLive: 10
                memberOnlyRead: false
                endorsementPolicy: OR('WFPMSP.peer')
        """;

    [Fact]
    public void A_network_file_declares_collections_with_their_members_and_rules()
    {
        var definition = NetworkDefinitionLoader.ParseYaml(Yaml);
        definition.Validate();

        var collections = ChannelCollections.From(definition.Chaincodes, new ChannelPolicies(["WFPMSP", "UNHCRMSP"]));
        var collection = collections.Find("cashtransfer", "beneficiaries")!;

        Assert.Equal(["UNHCRMSP", "WFPMSP"], collection.Members.Order());
        Assert.Equal((1, 2, 10ul), (collection.RequiredPeerCount, collection.MaxPeerCount, collection.BlockToLive));
        Assert.False(collection.MemberOnlyRead);
        Assert.True(collection.MemberOnlyWrite); // Fabric's default when the file does not say
        Assert.NotNull(collection.EndorsementPolicy);
        Assert.Null(collections.Find("cashtransfer", "other"));
    }

    [Fact]
    public void A_required_peer_count_above_max_peer_count_is_rejected()
    {
        var definition = NetworkDefinitionLoader.ParseYaml(Yaml.Replace("maxPeerCount: 2", "maxPeerCount: 0"));

        var e = Assert.Throws<InvalidDataException>(definition.Validate);
        Assert.Contains("collection 'beneficiaries': requiredPeerCount must be between 0 and maxPeerCount", e.Message);
    }

    [Fact]
    public void A_member_policy_that_does_not_parse_names_the_collection()
    {
        var definition = NetworkDefinitionLoader.ParseYaml(Yaml.Replace("policy: OR('WFPMSP.member','UNHCRMSP.member')", "policy: OR(WFPMSP"));

        var e = Assert.Throws<InvalidDataException>(() => ChannelCollections.From(definition.Chaincodes, new ChannelPolicies(["WFPMSP", "UNHCRMSP"])));
        Assert.Contains("collection 'beneficiaries' of chaincode 'cashtransfer'", e.Message);
    }
}
