namespace Fabric.Protocol.Wire;

/// <summary>
/// Walks the top-level fields of one serialized protobuf message in place. Fabric nests messages as bytes six layers
/// deep; a full parse copies every layer's bytes at each level. A reader that needs one small field at the bottom
/// (a committed transaction's chaincode event) walks down with this instead and copies nothing on the way.
/// </summary>
/// <remarks>Groups (wire types 3 and 4, unused by Fabric) are refused with a <see cref="FormatException"/>, like any
/// malformed input, so that callers can fall back to a full parse.</remarks>
public ref struct WireFields(ReadOnlySpan<byte> message)
{
    private ReadOnlySpan<byte> _rest = message;

    /// <summary>The current field's number.</summary>
    public int Number { get; private set; }

    /// <summary>The current field's wire type.</summary>
    public WireType Type { get; private set; }

    /// <summary>The current field's value when <see cref="Type"/> is <see cref="WireType.Varint"/>.</summary>
    public ulong Varint { get; private set; }

    /// <summary>The current field's contents when <see cref="Type"/> is <see cref="WireType.LengthDelimited"/>.</summary>
    public ReadOnlySpan<byte> Bytes { get; private set; }

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    /// <exception cref="FormatException">The message is truncated or malformed.</exception>
    public bool MoveNext()
    {
        Bytes = default;
        Varint = 0;
        if (_rest.IsEmpty) return false;
        var tag = ReadVarint();
        // Field numbers run from 1 to 2^29 - 1.
        if (tag >> 3 is 0 or > 0x1FFF_FFFF) throw new FormatException($"A protobuf field has number {tag >> 3}.");
        Number = (int)(tag >> 3);
        Type = (WireType)(tag & 7);
        switch (Type)
        {
            case WireType.Varint:
                Varint = ReadVarint();
                break;
            case WireType.Fixed64:
                Bytes = Take(8);
                break;
            case WireType.Fixed32:
                Bytes = Take(4);
                break;
            case WireType.LengthDelimited:
                var length = ReadVarint();
                if (length > (ulong)_rest.Length) throw new FormatException("A protobuf field is longer than its message.");
                Bytes = Take((int)length);
                break;
            default:
                throw new FormatException($"Protobuf wire type {(int)Type} is not read here.");
        }
        return true;
    }

    /// <summary>The last length-delimited field <paramref name="number"/> of <paramref name="message"/> (protobuf's
    /// "last one wins"), and how many there were.</summary>
    public static int Last(ReadOnlySpan<byte> message, int number, out ReadOnlySpan<byte> value)
    {
        value = default;
        var count = 0;
        var fields = new WireFields(message);
        while (fields.MoveNext())
            if (fields.Number == number && fields.Type == WireType.LengthDelimited)
            {
                value = fields.Bytes;
                count++;
            }
        return count;
    }

    /// <summary>Checks that <paramref name="message"/>'s fields are framed correctly, as protobuf's parse of a message
    /// whose fields are all scalars or bytes would; throws <see cref="FormatException"/> when they are not.</summary>
    public static void Check(ReadOnlySpan<byte> message)
    {
        var fields = new WireFields(message);
        while (fields.MoveNext()) { }
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > _rest.Length) throw new FormatException("A protobuf field is cut short.");
        var taken = _rest[..length];
        _rest = _rest[length..];
        return taken;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_rest.IsEmpty) throw new FormatException("A protobuf varint is cut short.");
            var b = _rest[0];
            _rest = _rest[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new FormatException("A protobuf varint is longer than 10 bytes.");
    }
}
