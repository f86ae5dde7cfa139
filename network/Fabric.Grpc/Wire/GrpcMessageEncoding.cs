using System.Text;

namespace Fabric.Grpc.Wire;

/// <summary>
/// Percent-encoding of <c>grpc-message</c>: the UTF-8 bytes of the message, where every byte outside
/// printable ASCII (0x20-0x7E) and '%' itself is written as %XX. Decoding leaves malformed escapes as
/// they are, as the gRPC spec asks.
/// </summary>
internal static class GrpcMessageEncoding
{
    public static string Encode(string message)
    {
        if (!NeedsEncoding(message)) return message;
        var builder = new StringBuilder(message.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%') builder.Append((char)b);
            else builder.Append('%').Append(Convert.ToHexString([b]));
        }
        return builder.ToString();
    }

    public static string Decode(string value)
    {
        if (!value.Contains('%')) return value;
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (value[i] < 0x80) bytes.Add((byte)value[i]);
            else bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool NeedsEncoding(string message)
    {
        foreach (var c in message)
            if (c is < ' ' or > '~' or '%') return true;
        return false;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
