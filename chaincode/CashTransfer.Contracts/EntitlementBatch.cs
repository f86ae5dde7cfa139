using System.Text.Json.Serialization;

namespace CashTransfer.Contracts;

/// <summary>One row of a bulk issue: a beneficiary and the amount in the programme's minor units.</summary>
/// <param name="BeneficiaryHash">The keyed hash of the beneficiary's common identifier: 64 lowercase hex characters, never personal data.</param>
/// <param name="AmountMinor">The entitlement in minor units of the programme's currency.</param>
public sealed record EntitlementGrant(string BeneficiaryHash, long AmountMinor);

/// <summary>
/// A bulk issue for one programme cycle (<c>Entitlement:IssueEntitlements</c>). The validity window defaults to the
/// programme's and must lie within it; when not given it is left out of the JSON.
/// </summary>
/// <param name="ProgrammeId">The programme that pays.</param>
/// <param name="Cycle">The distribution cycle, e.g. <c>2026-03</c>; one entitlement per beneficiary and cycle.</param>
/// <param name="Grants">The rows, numbered from 0 in the order sent.</param>
/// <param name="ValidFrom">Start of validity; the programme's when null.</param>
/// <param name="ValidUntil">End of validity; the programme's when null.</param>
/// <param name="Reservation">The part of a budget reservation that pays for the batch; the programme's budget when null
/// (<see cref="BudgetReservationRequest"/>).</param>
public sealed record EntitlementBatch(
    string ProgrammeId,
    string Cycle,
    IReadOnlyList<EntitlementGrant> Grants,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ValidFrom = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ValidUntil = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReservationPart? Reservation = null)
{
    /// <summary>The most grants one batch (one transaction) takes: large enough for bulk loads, small enough for one block.</summary>
    public const int MaxGrants = 10_000;
}
