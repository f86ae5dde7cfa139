using System.Text;

namespace Fabric.Shim.Stub;

/// <summary>
/// Composite keys exactly as Fabric encodes them: U+0000, the object type, U+0000, then each attribute followed
/// by U+0000. The U+0000 prefix keeps them apart from simple keys, which may not start with it.
/// </summary>
public static class CompositeKey
{
    /// <summary>The namespace prefix and separator.</summary>
    public const char Separator = '\u0000';

    /// <summary>The largest code point: appended to a partial key it closes the range of all keys that extend it.</summary>
    public const string MaxUnicodeRune = "\U0010FFFF";

    /// <summary>What Fabric's shims send instead of an empty start key, so that a range never starts in the composite-key namespace.</summary>
    public const string EmptyKeySubstitute = "\u0001";

    /// <example><code>CompositeKey.Create("color~name", ["blue", "car1"]) == "\0color~name\0blue\0car1\0"</code></example>
    public static string Create(string objectType, IReadOnlyList<string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (string.IsNullOrEmpty(objectType))
            throw new ArgumentException("The object type of a composite key must be a non-empty string.", nameof(objectType));
        Validate(objectType, "object type");
        var key = new StringBuilder().Append(Separator).Append(objectType).Append(Separator);
        foreach (var attribute in attributes)
        {
            ArgumentNullException.ThrowIfNull(attribute, nameof(attributes));
            Validate(attribute, "attribute");
            key.Append(attribute).Append(Separator);
        }
        return key.ToString();
    }

    /// <summary>The object type and attributes of a key made by <see cref="Create"/>.</summary>
    public static (string ObjectType, IReadOnlyList<string> Attributes) Split(string compositeKey)
    {
        if (string.IsNullOrEmpty(compositeKey) || compositeKey.Length < 3 || compositeKey[0] != Separator || compositeKey[^1] != Separator)
            throw new ArgumentException("Not a composite key: it must start and end with U+0000.", nameof(compositeKey));
        var parts = compositeKey[1..^1].Split(Separator);
        return (parts[0], parts[1..]);
    }

    /// <summary>
    /// The key range [start, end) of the composite keys under <paramref name="attributes"/> whose next attribute is
    /// from <paramref name="first"/> to <paramref name="last"/> (both included, with any attributes after them); empty when
    /// <paramref name="first"/> comes after <paramref name="last"/>.
    /// </summary>
    public static (string Start, string End) Range(string objectType, IReadOnlyList<string> attributes, string first, string last)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return (Create(objectType, [.. attributes, first]), Create(objectType, [.. attributes, last]) + MaxUnicodeRune);
    }

    /// <summary>True when <paramref name="key"/> lies in the composite-key namespace.</summary>
    public static bool IsComposite(string key) => key.Length > 0 && key[0] == Separator;

    /// <summary>Simple keys given to range queries may not start with U+0000, as in Fabric.</summary>
    internal static void ValidateSimpleKey(string key, string parameter)
    {
        if (IsComposite(key))
            throw new ArgumentException($"The first character of the key [{key.Replace(Separator, '␀')}] is U+0000, which is reserved for composite keys.", parameter);
    }

    // Fabric rejects invalid UTF-8 and the two code points it uses as delimiters inside attributes.
    private static void Validate(string value, string what)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == Separator)
                throw new ArgumentException($"A composite key {what} may not contain U+0000.");
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                if (char.ConvertToUtf32(c, value[i + 1]) == 0x10FFFF)
                    throw new ArgumentException($"A composite key {what} may not contain U+10FFFF.");
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new ArgumentException($"A composite key {what} is not valid Unicode (lone surrogate at index {i}).");
            }
        }
    }
}
