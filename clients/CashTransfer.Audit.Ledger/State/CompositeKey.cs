namespace CashTransfer.Audit.Ledger.State;

/// <summary>A Fabric composite key: U+0000, object type, then each attribute, each followed by U+0000.</summary>
public sealed record CompositeKey(string Type, IReadOnlyList<string> Attributes)
{
    public static CompositeKey? TryParse(string key)
    {
        if (key.Length < 2 || key[0] != '\0' || key[^1] != '\0') return null;
        var parts = key[1..^1].Split('\0');
        return new CompositeKey(parts[0], parts[1..]);
    }
}
