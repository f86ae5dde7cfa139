namespace CashTransfer.Contracts;

/// <summary>
/// The Unix-millisecond times the ledger accepts from terminals: positive and within what <see cref="DateTimeOffset"/>
/// can represent, so that a hostile or corrupted clock value is refused as malformed instead of failing later when it
/// is read as a date.
/// </summary>
public static class UnixTime
{
    /// <summary>The latest representable time: 9999-12-31T23:59:59.999Z.</summary>
    public static readonly long MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public const string Rule = "a positive Unix time in milliseconds, no later than year 9999";

    public static bool IsValidMs(long unixMs) => unixMs > 0 && unixMs <= MaxMs;
}
