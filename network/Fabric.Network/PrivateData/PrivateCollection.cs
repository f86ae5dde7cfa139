using Common;
using Fabric.Network.Configuration;
using Fabric.Network.Policies;
using Msp;

namespace Fabric.Network.PrivateData;

/// <summary>A private data collection as the peers enforce it: its member organisations and its rules.</summary>
public sealed record PrivateCollection(
    string Chaincode,
    string Name,
    IReadOnlySet<string> Members,
    int RequiredPeerCount,
    int MaxPeerCount,
    ulong BlockToLive,
    bool MemberOnlyRead,
    bool MemberOnlyWrite,
    IPolicy? EndorsementPolicy)
{
    public bool IsMember(string mspId) => Members.Contains(mspId);

    /// <summary>Compiles a collection definition; members are the MSP ids its member policy names, as in Fabric.</summary>
    public static PrivateCollection From(string chaincode, CollectionDefinition definition, ChannelPolicies policies)
    {
        SignaturePolicyEnvelope envelope;
        try
        {
            envelope = SignaturePolicyParser.Parse(definition.Policy);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"collection '{definition.Name}' of chaincode '{chaincode}': bad member policy: {e.Message}", e);
        }
        var members = envelope.Identities
            .Where(p => p.PrincipalClassification == MSPPrincipal.Types.Classification.Role)
            .Select(p => MSPRole.Parser.ParseFrom(p.Principal).MspIdentifier)
            .ToHashSet(StringComparer.Ordinal);
        var endorsement = string.IsNullOrWhiteSpace(definition.EndorsementPolicy) ? null : policies.Resolve(definition.EndorsementPolicy);
        return new PrivateCollection(chaincode, definition.Name, members, definition.RequiredPeerCount, definition.MaxPeerCount,
            definition.BlockToLive, definition.MemberOnlyRead, definition.MemberOnlyWrite, endorsement);
    }
}
