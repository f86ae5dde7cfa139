using Common;
using Fabric.Network.Membership;

namespace Fabric.Network.Policies;

/// <summary>
/// A signature policy (<c>common.SignaturePolicyEnvelope</c>): nested N-out-of rules over MSP principals.
/// Evaluated as Fabric's cauthdsl does: left to right, each signature satisfies at most one principal,
/// and every satisfied rule keeps the signatures it used (so an earlier OR can take a signature a later
/// principal needed: Fabric's greedy evaluation, reproduced on purpose).
/// </summary>
public sealed class CompiledSignaturePolicy : IPolicy
{
    private readonly SignaturePolicyEnvelope _envelope;
    private readonly List<Principal> _principals;

    public CompiledSignaturePolicy(SignaturePolicyEnvelope envelope)
    {
        _envelope = envelope;
        _principals = envelope.Identities.Select(Principal.FromMspPrincipal).ToList();
    }

    public SignaturePolicyEnvelope Envelope => _envelope;

    public bool IsSatisfiedBy(IReadOnlyList<ValidatedIdentity> signers)
    {
        var used = new bool[signers.Count];
        return Evaluate(_envelope.Rule, signers, used);
    }

    private bool Evaluate(Common.SignaturePolicy rule, IReadOnlyList<ValidatedIdentity> signers, bool[] used)
    {
        switch (rule.TypeCase)
        {
            case Common.SignaturePolicy.TypeOneofCase.SignedBy:
                if (rule.SignedBy < 0 || rule.SignedBy >= _principals.Count) return false;
                var principal = _principals[rule.SignedBy];
                for (int i = 0; i < signers.Count; i++)
                {
                    if (used[i] || !principal.IsSatisfiedBy(signers[i])) continue;
                    used[i] = true;
                    return true;
                }
                return false;
            case Common.SignaturePolicy.TypeOneofCase.NOutOf:
                // As Fabric: every rule is tried; each satisfied rule keeps the signatures it used, even
                // when the gate as a whole fails.
                var tentative = new bool[used.Length];
                int satisfied = 0;
                foreach (var sub in rule.NOutOf.Rules)
                {
                    Array.Copy(used, tentative, used.Length);
                    if (!Evaluate(sub, signers, tentative)) continue;
                    satisfied++;
                    Array.Copy(tentative, used, used.Length);
                }
                return satisfied >= rule.NOutOf.N;
            default:
                return false;
        }
    }

    /// <summary>One MSP principal: an MSP id and the role its signer must have.</summary>
    private sealed record Principal(string MspId, MSPRole.Types.MSPRoleType Role)
    {
        public static Principal FromMspPrincipal(MSPPrincipal principal)
        {
            if (principal.PrincipalClassification != MSPPrincipal.Types.Classification.Role)
                throw new NotSupportedException($"principal classification {principal.PrincipalClassification} is not supported; use MSP roles.");
            var role = MSPRole.Parser.ParseFrom(principal.Principal);
            return new Principal(role.MspIdentifier, role.Role);
        }

        public bool IsSatisfiedBy(ValidatedIdentity identity) =>
            identity.MspId == MspId && Role switch
            {
                MSPRole.Types.MSPRoleType.Member => true,
                MSPRole.Types.MSPRoleType.Admin => identity.Role == NodeRole.Admin,
                MSPRole.Types.MSPRoleType.Client => identity.Role == NodeRole.Client,
                MSPRole.Types.MSPRoleType.Peer => identity.Role == NodeRole.Peer,
                MSPRole.Types.MSPRoleType.Orderer => identity.Role == NodeRole.Orderer,
                _ => false,
            };
    }
}
