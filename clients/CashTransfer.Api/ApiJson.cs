using System.Text.Json;
using System.Text.Json.Serialization;

namespace CashTransfer.Api;

/// <summary>JSON as the API and the chaincode write it: camelCase, enums as names.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
