using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabric.Network.Configuration;

/// <summary>
/// A duration in Go's <c>time.ParseDuration</c> format, as Fabric writes durations in its files ("10s", "1m30s",
/// "1.5h", "250ms"): an optional sign, then one or more decimal numbers each followed by a unit (ns, us or µs,
/// ms, s, m, h); "0" alone needs no unit.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m), ("us", 1_000m), ("\u00b5s", 1_000m), ("\u03bcs", 1_000m), ("ms", 1_000_000m),
        ("s", 1_000_000_000m), ("m", 60_000_000_000m), ("h", 3_600_000_000_000m),
    ];

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.AsSpan();
        var negative = false;
        if (rest.Length > 0 && (rest[0] == '-' || rest[0] == '+'))
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }
        if (rest is "0") return TimeSpan.Zero;
        if (rest.IsEmpty) throw Invalid(text, "it is empty");
        decimal nanoseconds = 0;
        while (!rest.IsEmpty)
        {
            var numberLength = rest.IndexOfAnyExcept("0123456789.");
            if (numberLength == 0) throw Invalid(text, "a number must come before each unit");
            if (numberLength < 0) throw Invalid(text, "missing unit");
            if (!decimal.TryParse(rest[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                throw Invalid(text, $"'{rest[..numberLength]}' is not a number");
            rest = rest[numberLength..];
            var unitLength = rest.IndexOfAny("0123456789.");
            var unit = unitLength < 0 ? rest : rest[..unitLength];
            var scale = Scale(unit) ?? throw Invalid(text, $"unknown unit '{unit}'");
            nanoseconds += number * scale;
            rest = rest[unit.Length..];
        }
        if (nanoseconds > long.MaxValue) throw Invalid(text, "it is too long");
        var duration = TimeSpan.FromTicks((long)(nanoseconds / 100));
        return negative ? -duration : duration;
    }

    /// <summary>Formats a duration in seconds, or milliseconds below one second: as Go prints one under a minute ("3s", "1.5s", "250ms").</summary>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerSecond == 0 || duration >= TimeSpan.FromSeconds(1)
            ? $"{duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
            : $"{duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";

    private static decimal? Scale(ReadOnlySpan<char> unit)
    {
        foreach (var (name, nanoseconds) in Units)
            if (unit.SequenceEqual(name)) return nanoseconds;
        return null;
    }

    private static FormatException Invalid(string text, string why) =>
        new($"\"{text}\" is not a Go duration ({why}); write e.g. \"10s\", \"1m30s\" or \"500ms\".");

    /// <summary>
    /// Reads a duration as Fabric's connection.json allows it: a Go duration string, or a number of nanoseconds.
    /// </summary>
    public sealed class JsonConverter : JsonConverter<TimeSpan?>
    {
        public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            try
            {
                return reader.TokenType switch
                {
                    JsonTokenType.String => Parse(reader.GetString()!),
                    JsonTokenType.Number => TimeSpan.FromTicks((long)(reader.GetDouble() / 100)),
                    _ => throw new JsonException($"a duration must be a string such as \"10s\" or a number of nanoseconds, not {reader.TokenType}"),
                };
            }
            catch (FormatException e)
            {
                throw new JsonException(e.Message, e);
            }
        }

        public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
        {
            if (value is { } duration) writer.WriteStringValue(Format(duration));
            else writer.WriteNullValue();
        }
    }
}
