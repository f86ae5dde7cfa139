namespace Fabric.Shim.Testing;

/// <summary>
/// Orders keys as Fabric's state database does: by their UTF-8 bytes, which is Unicode code point order.
/// Plain ordinal string comparison compares UTF-16 code units and puts U+E000..U+FFFF after supplementary
/// characters such as U+10FFFF, which Fabric uses as the upper bound of partial composite key queries.
/// </summary>
public sealed class KeyOrder : IComparer<string>
{
    public static readonly KeyOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var a = x.EnumerateRunes();
        var b = y.EnumerateRunes();
        while (true)
        {
            bool hasA = a.MoveNext(), hasB = b.MoveNext();
            if (!hasA || !hasB) return hasA ? 1 : hasB ? -1 : 0;
            int diff = a.Current.Value - b.Current.Value;
            if (diff != 0) return diff;
        }
    }
}
