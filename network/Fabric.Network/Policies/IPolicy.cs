using Fabric.Network.Membership;

namespace Fabric.Network.Policies;

/// <summary>
/// A Fabric policy evaluated over the identities that produced valid signatures (each identity once).
/// </summary>
public interface IPolicy
{
    bool IsSatisfiedBy(IReadOnlyList<ValidatedIdentity> signers);
}
