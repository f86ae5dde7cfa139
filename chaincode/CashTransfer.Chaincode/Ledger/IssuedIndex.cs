using Fabric.Shim.Stub;

namespace CashTransfer.Chaincode.Ledger;

/// <summary>
/// Which beneficiaries of a batch may already hold an entitlement of a programme's cycle, read from the programme's
/// index (written with every entitlement, never deleted) instead of one entitlement lookup per grant. One range read
/// between the batch's first and last beneficiary answers a batch that no other grant of the cycle falls between, as
/// the gateway's chunks of a sorted upload are. The read stops after as many index entries as the batch has grants,
/// so a batch spread over a large cycle costs about one lookup per grant, as before.
/// </summary>
internal static class IssuedIndex
{
    /// <summary>
    /// The beneficiaries that may hold an entitlement of the cycle: those found in the index, and those past the point
    /// where the read stopped. Every other beneficiary of the batch holds none (the range read is in the read set, so a
    /// grant issued meanwhile by another transaction fails this one at validation, as a phantom read).
    /// </summary>
    public static async Task<HashSet<string>> MayHoldAsync(IChaincodeStub stub, string programmeId, string cycle, IReadOnlyList<string> beneficiaries)
    {
        var sorted = beneficiaries.Order(StringComparer.Ordinal).ToList();
        var inBatch = sorted.ToHashSet(StringComparer.Ordinal);
        var mayHold = new HashSet<string>(StringComparer.Ordinal);
        string? readTo = null;
        var read = 0;
        await foreach (var entry in stub.GetStateByCompositeKeyRangeAsync(Keys.EntitlementByProgramme, [programmeId, cycle], sorted[0], sorted[^1]))
        {
            readTo = stub.SplitCompositeKey(entry.Key).Attributes[2];
            if (inBatch.Contains(readTo)) mayHold.Add(readTo);
            if (++read == sorted.Count)
            {
                // Other grants of the cycle lie between these beneficiaries: the rest are looked up one by one.
                mayHold.UnionWith(sorted.Where(b => string.CompareOrdinal(b, readTo) > 0));
                break;
            }
        }
        return mayHold;
    }
}
