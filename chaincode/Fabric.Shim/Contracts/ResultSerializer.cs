using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fabric.Shim.Contracts;

/// <summary>
/// Writes a transaction function's result as the response payload, as fabric-contract-api does: nothing for
/// null, a string as its UTF-8 bytes, a byte array raw, numbers, booleans and enums as their text, and any
/// other value as JSON (<see cref="ContractJson.Options"/>).
/// </summary>
public static class ResultSerializer
{
    public static byte[] ToBytes(object? result) => result switch
    {
        null => [],
        byte[] raw => raw,
        string text => Encoding.UTF8.GetBytes(text),
        bool flag => Encoding.UTF8.GetBytes(flag ? "true" : "false"),
        Enum value => Encoding.UTF8.GetBytes(value.ToString()),
        char c => Encoding.UTF8.GetBytes(c.ToString()),
        IConvertible number when number.GetType().IsPrimitive || number is decimal => Encoding.UTF8.GetBytes(number.ToString(CultureInfo.InvariantCulture)),
        _ => JsonSerializer.SerializeToUtf8Bytes(result, result.GetType(), ContractJson.Options),
    };
}
