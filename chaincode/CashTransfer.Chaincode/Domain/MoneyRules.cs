using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// The ledger's arithmetic on money: amounts from a caller must be valid money no larger than
/// <see cref="Money.MaxMinor"/>, and sums never mix currencies or overflow. Refusals are errors the caller can act
/// on, never a bare "Arithmetic operation resulted in an overflow".
/// </summary>
public static class MoneyRules
{
    /// <summary>The sum; refuses mixed currencies (400) and overflow (409).</summary>
    public static Money Add(this Money money, Money other) => new(Plus(money.Minor, SameCurrency(money, other).Minor, $"The total in {money.Currency}"), money.Currency);

    /// <summary>The difference; refuses mixed currencies (400) and overflow (409).</summary>
    public static Money Subtract(this Money money, Money other)
    {
        var subtrahend = SameCurrency(money, other).Minor;
        try { return new(checked(money.Minor - subtrahend), money.Currency); }
        catch (OverflowException) { throw Overflow($"The difference in {money.Currency}"); }
    }

    /// <summary>Throws unless the currency is ISO 4217 and the amount positive and at most <see cref="Money.MaxMinor"/> (amounts moved by a transaction).</summary>
    public static Money RequirePositive(this Money money, string what)
    {
        if (!money.TryValidate(out var error)) throw Problem.Invalid(error);
        RequireAmount(money.Minor, what);
        return money;
    }

    /// <summary>Throws unless <paramref name="minor"/> is positive and at most <see cref="Money.MaxMinor"/>: where money enters the ledger.</summary>
    public static long RequireAmount(long minor, string what)
    {
        if (minor <= 0) throw Problem.Invalid($"{what} must be a positive amount in minor units; got {minor}.");
        if (minor > Money.MaxMinor) throw Problem.Invalid(Money.TooLarge(what, minor));
        return minor;
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/>, or a 409 naming <paramref name="what"/> when the sum does not fit in 64 bits.</summary>
    public static long Plus(long a, long b, string what)
    {
        try { return checked(a + b); }
        catch (OverflowException) { throw Overflow(what); }
    }

    /// <summary>The sum of <paramref name="amounts"/>, or a 409 naming <paramref name="what"/> when it does not fit in 64 bits.</summary>
    public static long Total(IEnumerable<long> amounts, string what) => amounts.Aggregate(0L, (sum, a) => Plus(sum, a, what));

    private static Fabric.Shim.Contracts.ChaincodeException Overflow(string what) =>
        Problem.Conflict($"{what} would exceed the largest amount the ledger can hold ({long.MaxValue} minor units); nothing was changed.");

    private static Money SameCurrency(Money money, Money other) => other.Currency == money.Currency
        ? other
        : throw Problem.Invalid($"Cannot combine {money.Currency} with {other.Currency}.");
}
