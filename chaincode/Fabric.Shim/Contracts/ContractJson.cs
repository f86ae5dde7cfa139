using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabric.Shim.Contracts;

/// <summary>
/// The JSON settings of the contract API: System.Text.Json web defaults (camelCase, case-insensitive reading,
/// numbers from strings), enums by name, and the relaxed escaper so that output matches JavaScript's
/// <c>JSON.stringify</c> (a quote is <c>\"</c>, not <c>\u0022</c>), the format Fabric's Node contracts produce.
/// </summary>
public static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
