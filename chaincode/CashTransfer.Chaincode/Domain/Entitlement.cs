using System.Text.Json.Serialization;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<EntitlementStatus>))]
public enum EntitlementStatus { Active, Revoked, Reclaimed }

/// <summary>Why an operator revokes an entitlement: a code, never free text (free text could carry personal data).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RevocationReason>))]
public enum RevocationReason { Ineligible, Duplicate, Deceased, Relocated, Fraud, Other }

/// <summary>
/// What one beneficiary may spend from one programme in one cycle. Its counters always satisfy
/// Issued = Redeemed - Reversed + Revoked + Reclaimed + Balance, and Balance is never negative.
/// One key per entitlement: two concurrent spends of it conflict, which is the double-spend protection.
/// </summary>
public sealed record Entitlement(
    string ProgrammeId,
    string Cycle,
    string BeneficiaryHash,
    string OwnerMsp,
    string Currency,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    long Issued,
    long Redeemed,
    long Reversed,
    long Revoked,
    long Reclaimed,
    long Balance,
    EntitlementStatus Status)
{
    public bool IsValidAt(DateTimeOffset time) => ValidFrom <= time && time < ValidUntil;

    public bool IsBalanced => Balance >= 0 && Issued == Redeemed - Reversed + Revoked + Reclaimed + Balance;
}

[JsonConverter(typeof(JsonStringEnumConverter<GrantOutcome>))]
public enum GrantOutcome
{
    Issued,
    /// <summary>The same entitlement with the same amount exists already: a repeated upload, nothing changed.</summary>
    AlreadyIssued,
    /// <summary>An entitlement for this beneficiary and cycle exists with another amount: use a top-up instead.</summary>
    ConflictsWithExisting,
}

/// <summary>The per-row outcome of a bulk issue (rows are numbered from 0 in the order sent).</summary>
public sealed record GrantResult(int Row, GrantOutcome Outcome);

/// <summary>
/// What a bulk issue did. <see cref="BudgetRemaining"/> is the programme's budget left after it; null (and left out of the
/// JSON) when the batch spent a reservation's part, which it does without reading the budget record.
/// </summary>
public sealed record IssueResult(string ProgrammeId, string Cycle, int IssuedCount, Money IssuedTotal,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Money? BudgetRemaining, IReadOnlyList<GrantResult> Rows);

public sealed record ReclaimResult(string ProgrammeId, string Cycle, int ReclaimedCount, Money ReclaimedTotal, bool MoreRemain);
