using System.Globalization;

namespace Fabric.Grpc.Wire;

/// <summary>
/// The <c>grpc-timeout</c> header: at most eight ASCII digits and a unit, H (hours), M (minutes),
/// S (seconds), m (milliseconds), u (microseconds) or n (nanoseconds).
/// </summary>
internal static class GrpcTimeoutHeader
{
    private const long MaxValue = 99_999_999;

    // Units from finest to coarsest, as the number of 100 ns ticks in one unit (nanoseconds are handled apart).
    private static readonly (char Unit, long Ticks)[] CoarseUnits =
    [
        ('u', 10),
        ('m', TimeSpan.TicksPerMillisecond),
        ('S', TimeSpan.TicksPerSecond),
        ('M', TimeSpan.TicksPerMinute),
        ('H', TimeSpan.TicksPerHour),
    ];

    /// <summary>The finest unit whose value fits eight digits, rounded up so that the server never sees less time than we allow.</summary>
    public static string Encode(TimeSpan timeout)
    {
        var ticks = Math.Max(0, timeout.Ticks);
        if (ticks <= MaxValue / 100) return (ticks * 100).ToString(CultureInfo.InvariantCulture) + "n";
        foreach (var (unit, perUnit) in CoarseUnits)
        {
            var value = ticks / perUnit + (ticks % perUnit == 0 ? 0 : 1);
            if (value <= MaxValue) return value.ToString(CultureInfo.InvariantCulture) + unit;
        }
        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > 9) return false;
        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
            if (c is < '0' or > '9') return false;
        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => (amount + 99) / 100,
            _ => null,
        };
        if (ticks is null) return false;
        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }
}
