using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// One part of a budget reservation: money set aside from a programme's budget for one chunk of a bulk upload, and how
/// much of it the chunk has issued. The programme's budget counts the part as reserved until it is released; then what
/// it issued counts as issued and the rest returns to the budget.
/// </summary>
public sealed record BudgetReservationPart(string ProgrammeId, string ReservationId, int Part, string Currency, long ReservedMinor, long IssuedMinor)
{
    public long RemainingMinor => ReservedMinor - IssuedMinor;
}

/// <summary>What <c>ReserveBudget</c> set aside: parts created by this request (parts that existed are not counted again).</summary>
public sealed record ReservationResult(string ProgrammeId, string ReservationId, int PartsReserved, Money Reserved, Money BudgetRemaining);

/// <summary>What <c>ReleaseBudgetReservation</c> folded back into the budget: issued by the parts, and returned unspent.</summary>
public sealed record ReservationRelease(string ProgrammeId, string ReservationId, int PartsReleased, Money Issued, Money Returned);
