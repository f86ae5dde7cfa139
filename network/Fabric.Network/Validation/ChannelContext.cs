using Fabric.Network.Membership;
using Fabric.Network.Policies;

namespace Fabric.Network.Validation;

/// <summary>What validation needs to know about the channel: its name, members, policies and chaincodes.</summary>
public sealed class ChannelContext
{
    public ChannelContext(string channelId, MembershipService membership, ChannelPolicies policies, IReadOnlyDictionary<string, IPolicy> chaincodePolicies)
    {
        ChannelId = channelId;
        Membership = membership;
        Policies = policies;
        ChaincodePolicies = chaincodePolicies;
    }

    public string ChannelId { get; }
    public MembershipService Membership { get; }
    public ChannelPolicies Policies { get; }

    /// <summary>Each defined chaincode's endorsement policy, by chaincode name (= state namespace).</summary>
    public IReadOnlyDictionary<string, IPolicy> ChaincodePolicies { get; }

    /// <summary>The chaincodes' private data collections.</summary>
    public PrivateData.ChannelCollections Collections { get; init; } = PrivateData.ChannelCollections.None;
}
