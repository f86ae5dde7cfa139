using System.Text.Json.Serialization;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

/// <summary>Whether a programme's entitlements can be spent.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProgrammeStatus>))]
public enum ProgrammeStatus { Active, Suspended, Closed }

/// <summary>Unrestricted cash, or value vouchers that buy only the listed categories.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RestrictionKind>))]
public enum RestrictionKind { Cash, Voucher }

/// <summary>What a programme's entitlements may buy.</summary>
public sealed record SpendingRestriction(RestrictionKind Kind, IReadOnlyList<string> Categories)
{
    public bool Allows(string category) => Kind == RestrictionKind.Cash || Categories.Contains(category);

    /// <summary>How the restriction shows in a coordination answer: "cash" or the voucher categories.</summary>
    public string Label => Kind == RestrictionKind.Cash ? "cash" : "voucher:" + string.Join("+", Categories);
}

/// <summary>
/// An assistance programme owned by one agency: the currency it pays in, when its entitlements are valid,
/// its budget cap, which retailers may serve it and what may be bought. Its budget use is a separate record
/// (<see cref="ProgrammeBudget"/>) so that redemptions, which read the programme, do not conflict with issuance.
/// </summary>
public sealed record Programme(
    string ProgrammeId,
    string OwnerMsp,
    string Currency,
    long BudgetMinor,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    int Priority,
    SpendingRestriction Restriction,
    IReadOnlyList<string> AllowedRetailers,
    ProgrammeStatus Status)
{
    public Money Budget => new(BudgetMinor, Currency);
}

/// <summary>
/// How much of a programme's budget cap has been issued (initial issues and top-ups) and how much is set aside in open
/// reservations (<see cref="BudgetReservationPart"/>); together never above the cap. <see cref="ReservedMinor"/> is left
/// out of the JSON while it is 0, so that a budget without reservations is written as before they existed.
/// </summary>
public sealed record ProgrammeBudget(string ProgrammeId, string Currency, long BudgetMinor, long IssuedMinor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long ReservedMinor = 0)
{
    public long RemainingMinor => BudgetMinor - IssuedMinor - ReservedMinor;
}

/// <summary>What an operator sends to create a programme; the owner is the operator's agency (MSP).</summary>
public sealed record ProgrammeDefinition(
    string ProgrammeId,
    Money Budget,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    int Priority,
    SpendingRestriction Restriction,
    IReadOnlyList<string>? AllowedRetailers);
