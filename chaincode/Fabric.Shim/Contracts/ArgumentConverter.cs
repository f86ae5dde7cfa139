using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fabric.Shim.Contracts;

/// <summary>
/// Turns a transaction argument (bytes from the proposal) into the parameter type of a transaction function:
/// strings as they are, byte arrays raw, numbers and booleans from their text, enums by name, everything else
/// from JSON. A malformed argument is a client error (status 400) that names the parameter, not its value.
/// </summary>
public static class ArgumentConverter
{
    public static object? Convert(byte[] argument, Type target, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var type = Nullable.GetUnderlyingType(target) ?? target;
        if (type == typeof(byte[])) return argument;

        var text = Encoding.UTF8.GetString(argument);
        if (type == typeof(string)) return text;
        try
        {
            return type switch
            {
                _ when type == typeof(bool) => ParseBool(text),
                _ when type == typeof(char) => text.Length == 1 ? text[0] : throw new FormatException(),
                _ when type.IsEnum => ParseEnum(text, type),
                _ when type == typeof(Guid) => Guid.Parse(text, CultureInfo.InvariantCulture),
                _ when type == typeof(DateTimeOffset) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                _ when type == typeof(DateTime) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                _ when IsInteger(type) => System.Convert.ChangeType(decimal.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), type, CultureInfo.InvariantCulture),
                _ when type == typeof(double) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ when type == typeof(float) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ when type == typeof(decimal) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => JsonSerializer.Deserialize(argument, type, ContractJson.Options),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or JsonException or ArgumentException or InvalidCastException)
        {
            throw new ChaincodeException($"Argument '{parameterName}' is not a valid {Describe(type)} ({argument.Length} bytes received).", 400);
        }
    }

    internal static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) ||
        type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte);

    private static bool ParseBool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new FormatException(),
    };

    private static object ParseEnum(string text, Type type)
    {
        // Names only: a number would let a caller pick a value the contract never defined.
        if (text.Length == 0 || char.IsDigit(text[0]) || text[0] == '-' || !Enum.TryParse(type, text, ignoreCase: true, out var value) || !Enum.IsDefined(type, value!))
            throw new FormatException();
        return value!;
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "boolean (true or false)",
        _ when type.IsEnum => $"{type.Name} (one of {string.Join(", ", Enum.GetNames(type))})",
        _ when IsInteger(type) => $"integer ({type.Name})",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => $"number ({type.Name})",
        _ when type.IsPrimitive || type == typeof(Guid) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(char) => type.Name,
        _ => $"JSON {type.Name}",
    };
}
