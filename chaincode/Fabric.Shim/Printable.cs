using System.Text;

namespace Fabric.Shim;

/// <summary>
/// Values from a proposal (function names, channel and transaction ids, a contract's arguments) as they may appear in
/// a log line or an error message: control characters escaped and the length bounded, so that a client cannot forge
/// or flood log lines, or make an error message quote megabytes, through them.
/// </summary>
public static class Printable
{
    private const int MaxLength = 80;

    public static string Of(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var clean = value.Length <= MaxLength && !value.Any(char.IsControl) && !value.Any(IsLineSeparator);
        if (clean) return value;
        var text = new StringBuilder(Math.Min(value.Length, MaxLength) + 8);
        foreach (var c in value.Length > MaxLength ? value[..MaxLength] : value)
            text.Append(char.IsControl(c) || IsLineSeparator(c) ? $"\\u{(int)c:x4}" : c);
        if (value.Length > MaxLength) text.Append("…");
        return text.ToString();
    }

    private static bool IsLineSeparator(char c) => c is '\u2028' or '\u2029' or '\u0085';
}
