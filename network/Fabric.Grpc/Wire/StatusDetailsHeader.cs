using Google.Protobuf;

namespace Fabric.Grpc.Wire;

/// <summary>
/// <c>grpc-status-details-bin</c>: a <c>google.rpc.Status</c> in base64. We send it unpadded (as the spec
/// recommends for -bin headers) and accept it padded or not.
/// </summary>
internal static class StatusDetailsHeader
{
    public static string Encode(Google.Rpc.Status details) => Convert.ToBase64String(details.ToByteArray()).TrimEnd('=');

    /// <summary>The decoded status, or null when the value is not base64 of a google.rpc.Status.</summary>
    public static Google.Rpc.Status? Decode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
        try
        {
            return Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(text));
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
