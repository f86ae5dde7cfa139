namespace CashTransfer.Contracts;

/// <summary>Active ISO 4217 currency codes and their minor-unit exponents (2 unless listed).</summary>
/// <example><code>Currencies.IsIso4217("KES"); // true
/// Currencies.MinorUnitExponent("JPY"); // 0: amounts are whole yen</code></example>
public static class Currencies
{
    private static readonly HashSet<string> Codes = new(
        ("AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
         "CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD " +
         "GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT " +
         "LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR " +
         "NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP " +
         "STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XOF " +
         "XCG XPF YER ZAR ZMW ZWG").Split(' '), StringComparer.Ordinal);

    private static readonly Dictionary<string, int> NonDefaultExponents = new(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
        ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
    };

    /// <summary>True for an active ISO 4217 code, spelled exactly (three capital letters): "usd" is not one.</summary>
    public static bool IsIso4217(string? code) => code is not null && Codes.Contains(code);

    /// <summary>Digits after the decimal point: minor units per major unit = 10^exponent.</summary>
    public static int MinorUnitExponent(string code) => NonDefaultExponents.GetValueOrDefault(code, 2);

    /// <summary>
    /// An amount as a person reads it: the currency's major units with its own number of decimals, so 67900 JOD minor
    /// units is "67.900 JOD" and 2500 JPY is "2,500 JPY". For display only: figures stay integer minor units.
    /// </summary>
    public static string Format(long minor, string code)
    {
        var exponent = MinorUnitExponent(code);
        var scale = 1m;
        for (var i = 0; i < exponent; i++) scale *= 10m;
        return $"{(minor / scale).ToString("N" + exponent, System.Globalization.CultureInfo.InvariantCulture)} {code}";
    }

    /// <summary>The error for a code that is not an active ISO 4217 code, saying what to send instead.</summary>
    public static string NotIso4217(string? code) =>
        $"'{code}' is not an active ISO 4217 currency code; use three capital letters such as USD, EUR or KES.";
}
