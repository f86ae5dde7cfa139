using Common;

namespace CashTransfer.Audit.Ledger.Channel;

/// <summary>
/// Evaluates Fabric policies over a set of signers. Signature policies follow cauthdsl: rules left to right, each
/// signer satisfies at most one principal, and a satisfied rule keeps the signers it used (Fabric's greedy order).
/// Implicit meta policies count the child groups whose policy of that name is satisfied (ANY, ALL, MAJORITY).
/// </summary>
public static class PolicyEvaluator
{
    public static bool Evaluate(Policy policy, ConfigGroup owner, IReadOnlyList<ChannelMember> signers) => (Policy.Types.PolicyType)policy.Type switch
    {
        Policy.Types.PolicyType.Signature => Evaluate(SignaturePolicyEnvelope.Parser.ParseFrom(policy.Value), signers),
        Policy.Types.PolicyType.ImplicitMeta => EvaluateImplicitMeta(ImplicitMetaPolicy.Parser.ParseFrom(policy.Value), owner, signers),
        _ => false,
    };

    public static bool Evaluate(SignaturePolicyEnvelope envelope, IReadOnlyList<ChannelMember> signers)
    {
        var distinct = signers.DistinctBy(s => s.Identity.CertificatePem + "\n" + s.MspId).ToList();
        return EvaluateRule(envelope.Rule, envelope.Identities, distinct, new bool[distinct.Count]);
    }

    private static bool EvaluateImplicitMeta(ImplicitMetaPolicy meta, ConfigGroup owner, IReadOnlyList<ChannelMember> signers)
    {
        var subPolicies = owner.Groups.Values
            .Select(g => g.Policies.TryGetValue(meta.SubPolicy, out var p) && p.Policy is not null ? (p.Policy, g) : default)
            .Where(x => x.Policy is not null).ToList();
        var satisfied = subPolicies.Count(x => Evaluate(x.Policy!, x.g, signers));
        return meta.Rule switch
        {
            ImplicitMetaPolicy.Types.Rule.Any => satisfied >= 1,
            ImplicitMetaPolicy.Types.Rule.All => satisfied == subPolicies.Count,
            _ => satisfied >= subPolicies.Count / 2 + 1,
        };
    }

    private static bool EvaluateRule(SignaturePolicy rule, IReadOnlyList<MSPPrincipal> principals, IReadOnlyList<ChannelMember> signers, bool[] used)
    {
        switch (rule.TypeCase)
        {
            case SignaturePolicy.TypeOneofCase.SignedBy:
                if (rule.SignedBy < 0 || rule.SignedBy >= principals.Count) return false;
                var principal = principals[rule.SignedBy];
                for (var i = 0; i < signers.Count; i++)
                {
                    if (used[i] || !Matches(principal, signers[i])) continue;
                    used[i] = true;
                    return true;
                }
                return false;
            case SignaturePolicy.TypeOneofCase.NOutOf:
                var tentative = new bool[used.Length];
                var count = 0;
                foreach (var sub in rule.NOutOf.Rules)
                {
                    Array.Copy(used, tentative, used.Length);
                    if (!EvaluateRule(sub, principals, signers, tentative)) continue;
                    count++;
                    Array.Copy(tentative, used, used.Length);
                }
                return count >= rule.NOutOf.N;
            default:
                return false;
        }
    }

    private static bool Matches(MSPPrincipal principal, ChannelMember signer)
    {
        if (principal.PrincipalClassification != MSPPrincipal.Types.Classification.Role) return false;
        var role = MSPRole.Parser.ParseFrom(principal.Principal);
        if (role.MspIdentifier != signer.MspId) return false;
        return role.Role switch
        {
            MSPRole.Types.MSPRoleType.Member => true,
            MSPRole.Types.MSPRoleType.Admin => signer.IsAdmin,
            MSPRole.Types.MSPRoleType.Client => signer.Role == Fabric.Protocol.Msp.NodeOuRole.Client,
            MSPRole.Types.MSPRoleType.Peer => signer.Role == Fabric.Protocol.Msp.NodeOuRole.Peer,
            MSPRole.Types.MSPRoleType.Orderer => signer.Role == Fabric.Protocol.Msp.NodeOuRole.Orderer,
            _ => false,
        };
    }
}
