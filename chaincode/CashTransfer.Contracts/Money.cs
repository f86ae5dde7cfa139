using System.Diagnostics.CodeAnalysis;

namespace CashTransfer.Contracts;

/// <summary>
/// An amount of money: integer minor units (cents, fils, ...) of an ISO 4217 currency; never floating point.
/// JSON: <c>{"minor":1250,"currency":"KES"}</c> (12.50 shillings). Construction does not check the currency, so that
/// what arrived can be reported back; whoever accepts an amount calls <see cref="TryValidate"/> first.
/// </summary>
/// <param name="Minor">The amount in minor units of <paramref name="Currency"/>; 1250 KES is 12.50 shillings.</param>
/// <param name="Currency">An active ISO 4217 code such as USD, KES or JOD.</param>
/// <example><code>var fiveDollars = new Money(500, "USD");
/// if (!fiveDollars.TryValidate(out var error)) Console.WriteLine(error);</code></example>
public sealed record Money(long Minor, string Currency)
{
    /// <summary>
    /// The largest amount the ledger takes in one movement (a grant, a top-up, a sale) and the largest budget:
    /// 10^15 minor units, ten trillion in a two-decimal currency. Thousands of such amounts still sum far below
    /// <see cref="long.MaxValue"/>, so totals cannot overflow; larger amounts are refused where they enter.
    /// </summary>
    public const long MaxMinor = 1_000_000_000_000_000;

    /// <summary>The error for an amount above <see cref="MaxMinor"/>.</summary>
    public static string TooLarge(string what, long minor) =>
        $"{what} of {minor} minor units is above the largest amount the ledger takes ({MaxMinor} minor units); split it or check the units.";

    /// <summary>No money in <paramref name="currency"/>.</summary>
    public static Money Zero(string currency) => new(0, currency);

    /// <summary>True when the currency is an active ISO 4217 code; otherwise <paramref name="error"/> says what is wrong and what to send.</summary>
    public bool TryValidate([NotNullWhen(false)] out string? error)
    {
        error = Currencies.IsIso4217(Currency) ? null : Currencies.NotIso4217(Currency);
        return error is null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Minor} {Currency} (minor units)";
}
