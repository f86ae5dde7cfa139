namespace Fabric.Network.Ledger;

/// <summary>
/// Orders strings as their UTF-8 bytes compare, which is how Fabric's state database orders keys
/// (plain ordinal UTF-16 order differs for characters above U+FFFF, e.g. composite key range ends at U+10FFFF).
/// </summary>
public sealed class Utf8OrdinalComparer : IComparer<string>
{
    public static readonly Utf8OrdinalComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int n = Math.Min(x.Length, y.Length);
        for (int i = 0; i < n; i++)
        {
            char a = x[i], b = y[i];
            if (a == b) continue;
            return CodePointOrder(a) - CodePointOrder(b);
        }
        return x.Length - y.Length;
    }

    // Surrogates (U+D800-DFFF) encode code points above U+FFFF, so they must sort after U+E000-U+FFFF.
    private static int CodePointOrder(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;
}
