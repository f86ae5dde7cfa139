using System.Text.Json.Serialization;

namespace CashTransfer.Contracts;

/// <summary>Why a redemption is reversed: a code, never free text (free text invites personal data). JSON: the name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReversalReason>))]
public enum ReversalReason
{
    /// <summary>The beneficiary brought the goods back.</summary>
    GoodsReturned,
    /// <summary>The cashier entered the sale wrongly.</summary>
    CashierError,
    /// <summary>The same sale was recorded twice.</summary>
    DuplicateSale,
    /// <summary>The sale was fraudulent.</summary>
    Fraud,
    /// <summary>Any other reason.</summary>
    Other,
}

/// <summary>The reversal reason codes as the ledger spells them (case-sensitive), for checking text that arrived.</summary>
public static class ReversalReasons
{
    /// <summary>Every code the ledger accepts.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetNames<ReversalReason>();

    /// <summary>True when <paramref name="reason"/> is exactly one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? reason) => TryParse(reason, out _);

    /// <summary>The code named by <paramref name="reason"/>; false for anything else (other spellings, numbers, null).</summary>
    public static bool TryParse(string? reason, out ReversalReason code)
    {
        code = default;
        return reason is not null && All.Contains(reason, StringComparer.Ordinal) && Enum.TryParse(reason, ignoreCase: false, out code);
    }
}
