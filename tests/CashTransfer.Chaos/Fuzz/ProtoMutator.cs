using System.Text;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>
/// Mutates protobuf bytes the way a hostile or broken peer would send them: bit flips, truncation, a corrupted length
/// field, a field number or wire type swapped, an oversized field, valid-but-hostile values (huge varints, control
/// characters, a trailing newline in a string), and the same inside nested messages so that mutations get past the
/// outer envelope. Deterministic for a given <see cref="Random"/>.
/// </summary>
public sealed class ProtoMutator(Random random)
{
    /// <summary>The kinds, for the counts printed at the end.</summary>
    public static readonly string[] Kinds = ["bit-flip", "truncate", "length-field", "field-swap", "oversized", "hostile-value", "nested", "duplicate-field", "garbage"];

    public (byte[] Bytes, string Kind) Mutate(byte[] seed)
    {
        var kind = Kinds[random.Next(Kinds.Length)];
        return (Apply(kind, seed, depth: 0), kind);
    }

    private byte[] Apply(string kind, byte[] data, int depth) => kind switch
    {
        "bit-flip" => BitFlip(data),
        "truncate" => data.Length == 0 ? data : data[..random.Next(data.Length)],
        "length-field" => CorruptLength(data),
        "field-swap" => SwapTag(data),
        "oversized" => Oversize(data),
        "hostile-value" => HostileValue(data),
        "nested" => depth < 4 ? Nested(data, depth) : BitFlip(data),
        "duplicate-field" => DuplicateField(data),
        _ => Garbage(),
    };

    private byte[] BitFlip(byte[] data)
    {
        if (data.Length == 0) return [(byte)random.Next(256)];
        var copy = (byte[])data.Clone();
        for (int i = 0, n = 1 + random.Next(8); i < n; i++) copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private byte[] CorruptLength(byte[] data)
    {
        var fields = ProtoWire.Fields(data).Where(f => f.WireType == 2).ToList();
        if (fields.Count == 0) return BitFlip(data);
        var f = fields[random.Next(fields.Count)];
        ulong length = random.Next(5) switch
        {
            0 => 0,
            1 => (ulong)f.Value.Length + (ulong)random.Next(1, 64),
            2 => (ulong)Math.Max(0, f.Value.Length - random.Next(1, 8)),
            3 => int.MaxValue,
            _ => ulong.MaxValue,
        };
        return ProtoWire.Concat(data[..f.Start], ProtoWire.Varint(f.Tag), ProtoWire.Varint(length), data[f.ValueStart..]);
    }

    private byte[] SwapTag(byte[] data)
    {
        var fields = ProtoWire.Fields(data).ToList();
        if (fields.Count == 0) return BitFlip(data);
        var f = fields[random.Next(fields.Count)];
        var number = random.Next(3) switch { 0 => f.Number + 1, 1 => random.Next(1, 40), _ => (1 << 29) - 1 };
        var wire = random.Next(2) == 0 ? f.WireType : (ulong)random.Next(8);
        return ProtoWire.Concat(data[..f.Start], ProtoWire.Varint(((ulong)number << 3) | wire), data[f.TagEnd..]);
    }

    private byte[] Oversize(byte[] data)
    {
        // Mostly up to 256 KiB; now and then 4 MiB, near the default gRPC limits.
        var size = random.Next(100) == 0 ? 4 * 1024 * 1024 : random.Next(1024, 256 * 1024);
        var filler = new byte[size];
        random.NextBytes(filler);
        var fields = ProtoWire.Fields(data).Where(f => f.WireType == 2).ToList();
        if (fields.Count == 0 || random.Next(3) == 0)
            return ProtoWire.Concat(data, ProtoWire.Varint(((ulong)random.Next(1, 20) << 3) | 2), ProtoWire.Varint((ulong)size), filler);
        var f = fields[random.Next(fields.Count)];
        return ProtoWire.Replace(data, f, filler);
    }

    private static readonly string[] HostileStrings =
        ["\n", "\r\n", "\0", "\u0001\u0002\u001b[31m", "\u202e", "../../etc/passwd", "%00", "\uFEFF", "' OR 1=1 --", "\uD800", "💸"];

    private byte[] HostileValue(byte[] data)
    {
        var fields = ProtoWire.Fields(data).Where(f => f.WireType is 0 or 2).ToList();
        if (fields.Count == 0) return BitFlip(data);
        var f = fields[random.Next(fields.Count)];
        if (f.WireType == 0)
        {
            ulong value = random.Next(4) switch { 0 => ulong.MaxValue, 1 => long.MaxValue, 2 => 1UL << 62, _ => unchecked((ulong)int.MinValue) };
            return ProtoWire.Concat(data[..f.ValueStart], ProtoWire.Varint(value), data[f.End..]);
        }
        var hostile = Encoding.UTF8.GetBytes(HostileStrings[random.Next(HostileStrings.Length)]);
        var value2 = random.Next(2) == 0 ? ProtoWire.Concat(f.Value.ToArray(), hostile) : hostile;
        return ProtoWire.Replace(data, f, value2);
    }

    private byte[] Nested(byte[] data, int depth)
    {
        var fields = ProtoWire.Fields(data).Where(f => f.WireType == 2 && f.Value.Length > 0).ToList();
        if (fields.Count == 0) return BitFlip(data);
        var f = fields[random.Next(fields.Count)];
        var inner = Apply(Kinds[random.Next(Kinds.Length - 1)], f.Value.ToArray(), depth + 1);
        return ProtoWire.Replace(data, f, inner);
    }

    private byte[] DuplicateField(byte[] data)
    {
        var fields = ProtoWire.Fields(data).ToList();
        if (fields.Count == 0) return BitFlip(data);
        var f = fields[random.Next(fields.Count)];
        var copies = random.Next(2, 50);
        var parts = new List<byte[]> { data };
        for (var i = 0; i < copies; i++) parts.Add(data[f.Start..f.End]);
        return ProtoWire.Concat([.. parts]);
    }

    private byte[] Garbage()
    {
        var bytes = new byte[random.Next(0, 512)];
        random.NextBytes(bytes);
        return bytes;
    }
}
