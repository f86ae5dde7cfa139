using Fabric.Network.Membership;

namespace Fabric.Network.Policies;

/// <summary>
/// An implicit meta policy: ANY, ALL or MAJORITY of the same-named sub-policy of each organisation
/// (e.g. <c>MAJORITY Endorsement</c> over the channel's agencies).
/// </summary>
public sealed class ImplicitMetaPolicy(Common.ImplicitMetaPolicy.Types.Rule rule, IReadOnlyList<IPolicy> subPolicies) : IPolicy
{
    public int Threshold => rule switch
    {
        Common.ImplicitMetaPolicy.Types.Rule.Any => 1,
        Common.ImplicitMetaPolicy.Types.Rule.All => subPolicies.Count,
        _ => subPolicies.Count / 2 + 1,
    };

    public bool IsSatisfiedBy(IReadOnlyList<ValidatedIdentity> signers)
    {
        int satisfied = subPolicies.Count(p => p.IsSatisfiedBy(signers));
        // Fabric: ANY over zero sub-policies is not satisfied; ALL over zero is.
        return subPolicies.Count == 0 ? rule == Common.ImplicitMetaPolicy.Types.Rule.All : satisfied >= Threshold;
    }
}
