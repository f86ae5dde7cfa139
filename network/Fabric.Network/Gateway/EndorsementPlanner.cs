using Fabric.Network.Membership;

namespace Fabric.Network.Gateway;

/// <summary>
/// Picks which agencies' peers must endorse: the smallest set of organisations whose peers satisfy the
/// requirement (chaincode policy and key-level policies of the keys written), preferring sets that contain
/// the gateway's own organisation, then organisations in network-file order.
/// </summary>
public static class EndorsementPlanner
{
    public static IReadOnlyList<T>? Choose<T>(IReadOnlyList<T> peers, T local, Func<T, ValidatedIdentity> identityOf, Func<IReadOnlyList<ValidatedIdentity>, bool> satisfied)
        where T : class
    {
        int n = peers.Count;
        if (n > 20) throw new NotSupportedException("the planner enumerates organisation sets; more than 20 organisations are not supported.");
        IReadOnlyList<T>? best = null;
        bool bestHasLocal = false;
        for (int mask = 1; mask < (1 << n); mask++)
        {
            var set = Enumerable.Range(0, n).Where(i => (mask & (1 << i)) != 0).Select(i => peers[i]).ToList();
            bool hasLocal = set.Contains(local);
            if (best is not null && (set.Count > best.Count || (set.Count == best.Count && (bestHasLocal || !hasLocal)))) continue;
            if (!satisfied(set.Select(identityOf).ToList())) continue;
            best = set;
            bestHasLocal = hasLocal;
        }
        if (best is null) return null;
        // The gateway's own peer first, as Fabric's gateway endorses there first.
        return best.OrderBy(p => p == local ? 0 : 1).ToList();
    }
}
