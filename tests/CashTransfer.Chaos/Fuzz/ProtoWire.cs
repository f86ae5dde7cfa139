namespace CashTransfer.Chaos.Fuzz;

/// <summary>One top-level field of a protobuf message: where its tag, value and end are in the buffer.</summary>
public readonly record struct WireField(int Start, int TagEnd, int ValueStart, int End, ulong Tag, ReadOnlyMemory<byte> Value)
{
    public int Number => (int)(Tag >> 3);
    public ulong WireType => Tag & 7;
}

/// <summary>
/// Just enough of the protobuf wire format to find a message's top-level fields and splice them, for the mutator.
/// Parsing stops quietly at the first malformed field (the input is often already mutated).
/// </summary>
public static class ProtoWire
{
    public static IEnumerable<WireField> Fields(byte[] data)
    {
        var list = new List<WireField>();
        var position = 0;
        while (position < data.Length)
        {
            var start = position;
            if (!TryVarint(data, ref position, out var tag) || tag >> 3 == 0) break;
            var tagEnd = position;
            var valueStart = position;
            switch (tag & 7)
            {
                case 0:
                    if (!TryVarint(data, ref position, out _)) return list;
                    break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case 2:
                    if (!TryVarint(data, ref position, out var length) || length > (ulong)(data.Length - position)) return list;
                    valueStart = position;
                    position += (int)length;
                    break;
                default: return list;
            }
            if (position > data.Length) break;
            list.Add(new WireField(start, tagEnd, valueStart, position, tag, data.AsMemory(valueStart, position - valueStart)));
        }
        return list;
    }

    /// <summary>The message with one length-delimited field's value replaced (its length re-encoded).</summary>
    public static byte[] Replace(byte[] data, WireField field, byte[] value) =>
        Concat(data[..field.Start], Varint(field.Tag), Varint((ulong)value.Length), value, data[field.End..]);

    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>(10);
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        } while (value != 0);
        return [.. bytes];
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }
        return result;
    }

    private static bool TryVarint(byte[] data, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < data.Length; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }
}
