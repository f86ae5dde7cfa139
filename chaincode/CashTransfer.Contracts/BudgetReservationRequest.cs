namespace CashTransfer.Contracts;

/// <summary>
/// Sets part of a programme's budget aside for one bulk upload (<c>Entitlement:ReserveBudget</c>), in numbered parts,
/// one per chunk of the upload. Each chunk then spends its own part (<see cref="EntitlementBatch.Reservation"/>) instead
/// of the programme's budget record, which every chunk would otherwise write: chunks writing one record must commit one
/// after another, chunks spending their own parts can be endorsed and committed side by side. What a part does not spend
/// returns to the budget when the reservation is released (<c>Entitlement:ReleaseBudgetReservation</c>).
/// </summary>
/// <param name="ProgrammeId">The programme whose budget is reserved.</param>
/// <param name="ReservationId">Names the reservation (the upload's job id); the same id and part reserved again with the
/// same amount changes nothing, so a resumed upload can send its reservation again.</param>
/// <param name="FirstPart">The number of the first part in <paramref name="AmountsMinor"/>: a large upload reserves its
/// parts in several transactions.</param>
/// <param name="AmountsMinor">Each part's amount in minor units of the programme's currency (0 or more).</param>
public sealed record BudgetReservationRequest(string ProgrammeId, string ReservationId, int FirstPart, IReadOnlyList<long> AmountsMinor)
{
    /// <summary>The most parts one request reserves (one key written each).</summary>
    public const int MaxParts = 1000;

    /// <summary>Part numbers run from 0 to this; they are fixed-width in the part's key, so that key order is part order.</summary>
    public const int MaxPartNumber = 99_999;
}

/// <summary>The part of a budget reservation that a batch of grants spends.</summary>
public sealed record ReservationPart(string ReservationId, int Part);
