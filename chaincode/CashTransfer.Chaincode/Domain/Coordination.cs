using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// What a coordination check reveals about another agency's assistance to a beneficiary: the agency, what the
/// assistance buys, and an amount band. Nothing else (no programme, cycle, balance or dates).
/// </summary>
public sealed record AssistanceRecord(string AgencyMsp, string Category, string AmountBand);

/// <summary>Coarse amount bands in major units of the currency, so that coordination never discloses exact amounts.</summary>
public static class AmountBand
{
    private static readonly long[] Bounds = [10, 100, 1_000, 10_000];

    public static string Of(long minor, string currency)
    {
        long unit = 1;
        for (int i = 0; i < Currencies.MinorUnitExponent(currency); i++) unit *= 10;
        long major = minor / unit;
        long lower = 0;
        foreach (var bound in Bounds)
        {
            if (major < bound) return $"{currency} {lower}-{bound}";
            lower = bound;
        }
        return $"{currency} {lower}+";
    }
}
