using Common;
using Fabric.Network.Configuration;
using Fabric.Network.Crypto;
using Fabric.Network.Policies;
using Fabric.Protocol.Identity;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Fabric.Network.Blocks;

/// <summary>
/// Block 0 of the channel: a CONFIG envelope holding the channel configuration as configtxgen writes it
/// (Channel group with Application and Orderer groups, each organisation's MSP and policies, the batch
/// settings), unsigned, with TRANSACTIONS_FILTER VALID.
/// </summary>
public static class GenesisBlock
{
    public static Block Create(NetworkDefinition definition, CryptoMaterial crypto, ChannelPolicies policies, string ordererAddress)
    {
        var nonce = TransactionId.NewNonce();
        var channelHeader = new ChannelHeader
        {
            Type = (int)HeaderType.Config,
            ChannelId = definition.Channel,
            Timestamp = Timestamp.FromDateTime(DateTime.UtcNow),
            TxId = TransactionId.Compute(nonce, []),
        };
        var config = new Config { Sequence = 0, ChannelGroup = ChannelGroup(definition, crypto, policies, ordererAddress) };
        var payload = new Payload
        {
            Header = new Header
            {
                ChannelHeader = channelHeader.ToByteString(),
                SignatureHeader = new SignatureHeader { Nonce = ByteString.CopyFrom(nonce) }.ToByteString(),
            },
            Data = new ConfigEnvelope { Config = config }.ToByteString(),
        };
        var envelope = new Envelope { Payload = payload.ToByteString() };
        var block = BlockFactory.Create(0, [], [envelope.ToByteString()]);
        block.Metadata.Metadata[(int)BlockMetadataIndex.Signatures] =
            new Metadata { Value = new OrdererBlockMetadata { LastConfig = new LastConfig() }.ToByteString() }.ToByteString();
        block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter] = ByteString.CopyFrom(0);
        return block;
    }

    private static ConfigGroup ChannelGroup(NetworkDefinition definition, CryptoMaterial crypto, ChannelPolicies policies, string ordererAddress)
    {
        var channel = new ConfigGroup { ModPolicy = "Admins" };
        channel.Values["HashingAlgorithm"] = Value(new HashingAlgorithm { Name = "SHA256" });
        channel.Values["BlockDataHashingStructure"] = Value(new BlockDataHashingStructure { Width = uint.MaxValue });
        channel.Values["OrdererAddresses"] = Value(new OrdererAddresses { Addresses = { ordererAddress } });
        channel.Values["Capabilities"] = Value(Capabilities("V2_0"));
        AddMetaPolicies(channel, "Readers", "Writers", "Admins");

        var application = new ConfigGroup { ModPolicy = "Admins" };
        application.Values["Capabilities"] = Value(Capabilities("V2_5"));
        AddMetaPolicies(application, "Readers", "Writers", "Admins");
        application.Policies["Endorsement"] = MetaPolicy(Common.ImplicitMetaPolicy.Types.Rule.Majority, "Endorsement");
        application.Policies["LifecycleEndorsement"] = MetaPolicy(Common.ImplicitMetaPolicy.Types.Rule.Majority, "Endorsement");
        foreach (var org in crypto.PeerOrganizations)
        {
            var group = OrganizationGroup(org);
            foreach (var name in new[] { "Readers", "Writers", "Admins", "Endorsement" })
                group.Policies[name] = SignatureConfigPolicy(policies.OrganizationPolicy(org.MspId, name));
            application.Groups[org.Definition.Name] = group;
        }
        channel.Groups["Application"] = application;

        var orderer = new ConfigGroup { ModPolicy = "Admins" };
        orderer.Values["ConsensusType"] = Value(new Orderer.ConsensusType { Type = "etcdraft", State = Orderer.ConsensusType.Types.State.Normal });
        orderer.Values["BatchSize"] = Value(new Orderer.BatchSize
        {
            MaxMessageCount = (uint)definition.Batch.MaxMessageCount,
            AbsoluteMaxBytes = (uint)definition.Batch.AbsoluteMaxBytes,
            PreferredMaxBytes = (uint)definition.Batch.PreferredMaxBytes,
        });
        orderer.Values["BatchTimeout"] = Value(new Orderer.BatchTimeout { Timeout = $"{definition.Batch.BatchTimeoutMs}ms" });
        orderer.Values["ChannelRestrictions"] = Value(new Orderer.ChannelRestrictions());
        orderer.Values["Capabilities"] = Value(Capabilities("V2_0"));
        AddMetaPolicies(orderer, "Readers", "Writers", "Admins");
        orderer.Policies["BlockValidation"] = MetaPolicy(Common.ImplicitMetaPolicy.Types.Rule.Any, "Writers");
        var ordererOrg = OrganizationGroup(crypto.Orderer);
        var mspId = crypto.Orderer.MspId;
        ordererOrg.Values["Endpoints"] = Value(new OrdererAddresses { Addresses = { ordererAddress } });
        ordererOrg.Policies["Readers"] = SignatureConfigPolicy(SignaturePolicyParser.Parse($"OR('{mspId}.member')"));
        ordererOrg.Policies["Writers"] = SignatureConfigPolicy(SignaturePolicyParser.Parse($"OR('{mspId}.member')"));
        ordererOrg.Policies["Admins"] = SignatureConfigPolicy(SignaturePolicyParser.Parse($"OR('{mspId}.admin')"));
        orderer.Groups[crypto.Orderer.Definition.Name] = ordererOrg;
        channel.Groups["Orderer"] = orderer;
        return channel;
    }

    private static ConfigGroup OrganizationGroup(OrganizationMaterial org)
    {
        Msp.FabricOUIdentifier Ou(string name) => new() { Certificate = ByteString.CopyFromUtf8(org.CaCertificatePem), OrganizationalUnitIdentifier = name };
        var mspConfig = new Msp.FabricMSPConfig
        {
            Name = org.MspId,
            RootCerts = { ByteString.CopyFromUtf8(org.CaCertificatePem) },
            TlsRootCerts = { ByteString.CopyFromUtf8(org.TlsCaCertificatePem) },
            CryptoConfig = new Msp.FabricCryptoConfig { SignatureHashFamily = "SHA2", IdentityIdentifierHashFunction = "SHA256" },
            FabricNodeOus = new Msp.FabricNodeOUs
            {
                Enable = true,
                ClientOuIdentifier = Ou("client"),
                PeerOuIdentifier = Ou("peer"),
                AdminOuIdentifier = Ou("admin"),
                OrdererOuIdentifier = Ou("orderer"),
            },
        };
        var group = new ConfigGroup { ModPolicy = "Admins" };
        group.Values["MSP"] = Value(new Msp.MSPConfig { Type = 0, Config = mspConfig.ToByteString() });
        return group;
    }

    private static Capabilities Capabilities(string name)
    {
        var capabilities = new Capabilities();
        capabilities.Capabilities_[name] = new Capability();
        return capabilities;
    }

    private static ConfigValue Value(IMessage message) => new() { Value = message.ToByteString(), ModPolicy = "Admins" };

    private static void AddMetaPolicies(ConfigGroup group, params string[] names)
    {
        foreach (var name in names)
            group.Policies[name] = MetaPolicy(name == "Admins" ? Common.ImplicitMetaPolicy.Types.Rule.Majority : Common.ImplicitMetaPolicy.Types.Rule.Any, name);
    }

    private static ConfigPolicy MetaPolicy(Common.ImplicitMetaPolicy.Types.Rule rule, string subPolicy) => new()
    {
        ModPolicy = "Admins",
        Policy = new Policy
        {
            Type = (int)Policy.Types.PolicyType.ImplicitMeta,
            Value = new Common.ImplicitMetaPolicy { Rule = rule, SubPolicy = subPolicy }.ToByteString(),
        },
    };

    private static ConfigPolicy SignatureConfigPolicy(SignaturePolicyEnvelope envelope) => new()
    {
        ModPolicy = "Admins",
        Policy = new Policy { Type = (int)Policy.Types.PolicyType.Signature, Value = envelope.ToByteString() },
    };
}
