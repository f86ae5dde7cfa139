using Common;
using Fabric.Network.Ledger;
using Fabric.Network.Policies;

namespace Fabric.Network.Validation;

/// <summary>State-based endorsement: a key's VALIDATION_PARAMETER metadata holds a SignaturePolicyEnvelope.</summary>
public static class KeyLevelPolicies
{
    public const string ValidationParameter = "VALIDATION_PARAMETER";

    /// <summary>The key-level policy in effect for a key (as of the earlier transactions in the block), or null.</summary>
    public static IPolicy? For(UpdateBatch batch, WorldState state, string ns, string key)
    {
        var current = TransactionWrites.Current(batch, state, ns, key);
        if (current is null || !current.Metadata.TryGetValue(ValidationParameter, out var parameter) || parameter.IsEmpty) return null;
        return new CompiledSignaturePolicy(SignaturePolicyEnvelope.Parser.ParseFrom(parameter));
    }
}
