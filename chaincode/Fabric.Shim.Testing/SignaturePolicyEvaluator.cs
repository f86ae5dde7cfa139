using Common;

namespace Fabric.Shim.Testing;

/// <summary>
/// Evaluates a <c>common.SignaturePolicyEnvelope</c> against the MSP ids of the peers that endorsed, as
/// Fabric's committer does for key-level endorsement: each endorsement satisfies at most one principal.
/// Endorsers are peers, so they match MSPRole PEER and MEMBER principals of their MSP.
/// </summary>
public static class SignaturePolicyEvaluator
{
    public static bool IsSatisfied(byte[] serializedEnvelope, IReadOnlyList<string> endorsingMspIds)
    {
        var envelope = SignaturePolicyEnvelope.Parser.ParseFrom(serializedEnvelope);
        var used = new bool[endorsingMspIds.Count];
        return Evaluate(envelope.Rule, envelope.Identities, endorsingMspIds, used);
    }

    private static bool Evaluate(SignaturePolicy rule, IList<MSPPrincipal> principals, IReadOnlyList<string> endorsers, bool[] used)
    {
        switch (rule.TypeCase)
        {
            case SignaturePolicy.TypeOneofCase.SignedBy:
                if (rule.SignedBy < 0 || rule.SignedBy >= principals.Count) return false;
                for (int i = 0; i < endorsers.Count; i++)
                {
                    if (used[i] || !Matches(principals[rule.SignedBy], endorsers[i])) continue;
                    used[i] = true;
                    return true;
                }
                return false;
            case SignaturePolicy.TypeOneofCase.NOutOf:
                int satisfied = 0;
                foreach (var child in rule.NOutOf.Rules)
                {
                    var trial = (bool[])used.Clone();
                    if (!Evaluate(child, principals, endorsers, trial)) continue;
                    satisfied++;
                    Array.Copy(trial, used, used.Length);
                }
                return satisfied >= rule.NOutOf.N;
            default:
                return false;
        }
    }

    private static bool Matches(MSPPrincipal principal, string endorserMspId)
    {
        if (principal.PrincipalClassification != MSPPrincipal.Types.Classification.Role) return false;
        var role = MSPRole.Parser.ParseFrom(principal.Principal);
        return role.MspIdentifier == endorserMspId &&
               role.Role is MSPRole.Types.MSPRoleType.Peer or MSPRole.Types.MSPRoleType.Member;
    }
}
