using System.Globalization;

namespace CashTransfer.Chaincode.Domain;

/// <summary>Times passed as text arguments: ISO 8601, UTC unless an offset is given.</summary>
public static class Times
{
    public static DateTimeOffset Parse(string? value, string name) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : throw Problem.Invalid($"'{name}' must be an ISO 8601 time such as 2026-03-01T00:00:00Z; got '{value}'.");
}
