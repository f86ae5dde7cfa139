using System.Text;

namespace Fabric.Shim.Testing;

/// <summary>Fabric's composite key encoding: U+0000 objectType U+0000 (attribute U+0000)*.</summary>
internal static class CompositeKeys
{
    public const char Namespace = '\u0000';
    public const char Separator = '\u0000';
    /// <summary>The highest code point; a partial key query ends just below partialKey + U+10FFFF.</summary>
    public const string MaxUnicodeRune = "\U0010FFFF";

    public static string Create(string objectType, IReadOnlyList<string> attributes)
    {
        Validate(objectType);
        var key = new StringBuilder().Append(Namespace).Append(objectType).Append(Separator);
        foreach (var attribute in attributes)
        {
            Validate(attribute);
            key.Append(attribute).Append(Separator);
        }
        return key.ToString();
    }

    public static (string ObjectType, IReadOnlyList<string> Attributes) Split(string compositeKey)
    {
        if (compositeKey.Length < 2 || compositeKey[0] != Namespace || compositeKey[^1] != Separator)
            throw new ArgumentException("Not a composite key: it must start with U+0000 and end with a U+0000 separator.", nameof(compositeKey));
        var parts = compositeKey[1..^1].Split(Separator);
        return (parts[0], parts[1..]);
    }

    public static bool IsComposite(string key) => key.Length > 0 && key[0] == Namespace;

    private static void Validate(string part)
    {
        if (part.Contains(Separator) || part.Contains(MaxUnicodeRune, StringComparison.Ordinal))
            throw new ArgumentException($"Composite key parts must not contain U+0000 or U+10FFFF: '{part.Replace("\0", "\\0")}'.");
    }
}
