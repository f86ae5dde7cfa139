using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// The ledger's arithmetic on <see cref="Money"/>: amounts from a caller must be valid money, and sums never mix
/// currencies or overflow. Refusals are 400 errors the caller can act on.
/// </summary>
public static class MoneyRules
{
    /// <summary>The sum; refuses mixed currencies (400) and overflow.</summary>
    public static Money Add(this Money money, Money other) => new(checked(money.Minor + SameCurrency(money, other).Minor), money.Currency);

    /// <summary>The difference; refuses mixed currencies (400) and overflow.</summary>
    public static Money Subtract(this Money money, Money other) => new(checked(money.Minor - SameCurrency(money, other).Minor), money.Currency);

    /// <summary>Throws unless the currency is ISO 4217 and the amount strictly positive (amounts moved by a transaction).</summary>
    public static Money RequirePositive(this Money money, string what)
    {
        if (!money.TryValidate(out var error)) throw Problem.Invalid(error);
        return money.Minor > 0 ? money : throw Problem.Invalid($"{what} must be a positive amount in minor units; got {money.Minor}.");
    }

    private static Money SameCurrency(Money money, Money other) => other.Currency == money.Currency
        ? other
        : throw Problem.Invalid($"Cannot combine {money.Currency} with {other.Currency}.");
}
