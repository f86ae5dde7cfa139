namespace CashTransfer.Reconciliation.Model;

/// <summary>
/// What one reconciliation covers: ledger redemptions recorded in [<paramref name="From"/>, <paramref name="To"/>),
/// optionally narrowed to one retailer, one programme or one agency (the owner of the entitlements spent).
/// </summary>
/// <param name="PayableCutOff">Payables recorded before this time and still unsettled are <c>payable-overdue</c>; none checked when null.</param>
public sealed record ReconciliationScope(
    DateTimeOffset From,
    DateTimeOffset To,
    string? RetailerId = null,
    string? ProgrammeId = null,
    string? AgencyMsp = null,
    DateTimeOffset? PayableCutOff = null)
{
    /// <summary>Throws <see cref="ReconciliationInputException"/> when the period is empty or reversed.</summary>
    public void Validate()
    {
        if (To <= From) throw new ReconciliationInputException($"The period must end after it starts (from {From:O}, to {To:O}).");
    }

    public bool Contains(DateTimeOffset time) => time >= From && time < To;

    /// <summary>Whether a ledger redemption falls inside the retailer, programme and agency narrowing.</summary>
    public bool Covers(LedgerRedemption r) =>
        (RetailerId is null || r.RetailerId == RetailerId)
        && (ProgrammeId is null || r.Allocations.Any(a => a.ProgrammeId == ProgrammeId))
        && (AgencyMsp is null || r.Allocations.Any(a => a.OwnerMsp == AgencyMsp));
}

/// <summary>Input the reconciliation cannot run on (a wrong CSV header, an empty period): the run stops with this message.</summary>
public sealed class ReconciliationInputException(string message) : Exception(message);
