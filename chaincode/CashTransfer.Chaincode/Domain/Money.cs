using System.Text.Json.Serialization;

namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// An amount of money: integer minor units (cents, fils, ...) in an ISO 4217 currency. No floating point.
/// Construction validates the currency; arithmetic refuses mixed currencies and overflow.
/// </summary>
/// <example><code>var fiveDollars = new Money(500, "USD");</code></example>
public sealed record Money
{
    [JsonConstructor]
    public Money(long minor, string currency)
    {
        Currency = Currencies.Require(currency);
        Minor = minor;
    }

    public long Minor { get; }
    public string Currency { get; }

    public static Money Zero(string currency) => new(0, currency);

    public Money Add(Money other) => new(checked(Minor + SameCurrency(other).Minor), Currency);
    public Money Subtract(Money other) => new(checked(Minor - SameCurrency(other).Minor), Currency);

    /// <summary>Throws unless the amount is strictly positive (amounts moved by a transaction).</summary>
    public Money RequirePositive(string what) => Minor > 0 ? this : throw Problem.Invalid($"{what} must be a positive amount in minor units; got {Minor}.");

    private Money SameCurrency(Money other) => other.Currency == Currency
        ? other
        : throw Problem.Invalid($"Cannot combine {Currency} with {other.Currency}.");

    public override string ToString() => $"{Minor} {Currency} (minor units)";
}
