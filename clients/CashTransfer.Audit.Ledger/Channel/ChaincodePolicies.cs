using CashTransfer.Audit.Ledger.State;
using Common;

namespace CashTransfer.Audit.Ledger.Channel;

/// <summary>
/// Which policy endorses writes to a namespace, as Fabric 2.5 decides it: <c>_lifecycle</c> itself answers to
/// /Channel/Application/LifecycleEndorsement; a chaincode to the policy of its committed definition
/// (<c>namespaces/fields/NAME/ValidationInfo</c> in <c>_lifecycle</c>), or to the channel's default
/// /Channel/Application/Endorsement when no definition is in the blocks read (e.g. a network that defines
/// chaincodes outside <c>_lifecycle</c>, or a verification that starts after the definition's block).
/// </summary>
public static class ChaincodePolicies
{
    public const string Lifecycle = "_lifecycle";
    public const string DefaultEndorsement = "/Channel/Application/Endorsement";
    public const string LifecycleEndorsement = "/Channel/Application/LifecycleEndorsement";

    /// <summary>A policy by config path or as an explicit signature policy, and how a finding names it.</summary>
    public sealed record NamespacePolicy(string Description, string? ConfigPath, SignaturePolicyEnvelope? Signature)
    {
        public bool IsSatisfiedBy(ChannelConfiguration config, IReadOnlyList<ChannelMember> signers) =>
            Signature is not null ? PolicyEvaluator.Evaluate(Signature, signers) : config.Satisfies(ConfigPath!, signers);
    }

    /// <summary>
    /// The policy of a <c>_lifecycle</c> implicit collection (<c>_implicit_org_MSPID</c>): that organisation's
    /// /Channel/Application/ORG/Endorsement; null for any other collection.
    /// </summary>
    public static string? ImplicitCollectionPolicy(string collection, ChannelConfiguration config)
    {
        const string prefix = "_implicit_org_";
        if (!collection.StartsWith(prefix, StringComparison.Ordinal)) return null;
        return config.ApplicationOrganizationGroup(collection[prefix.Length..]) is { } group ? $"/Channel/Application/{group}/Endorsement" : null;
    }

    public static NamespacePolicy For(string ns, RebuiltState state)
    {
        if (ns == Lifecycle) return new(LifecycleEndorsement, LifecycleEndorsement, null);
        var definition = state.Get(Lifecycle, $"namespaces/fields/{ns}/ValidationInfo");
        if (definition is null) return new($"{DefaultEndorsement} (channel default)", DefaultEndorsement, null);
        var info = global::Lifecycle.ChaincodeValidationInfo.Parser.ParseFrom(global::Lifecycle.StateData.Parser.ParseFrom(definition.Value).Bytes);
        var application = Protos.ApplicationPolicy.Parser.ParseFrom(info.ValidationParameter);
        return application.TypeCase == Protos.ApplicationPolicy.TypeOneofCase.SignaturePolicy
            ? new($"{ns}'s signature policy from its chaincode definition", null, application.SignaturePolicy)
            : new($"{application.ChannelConfigPolicyReference} (chaincode definition)", application.ChannelConfigPolicyReference, null);
    }
}
