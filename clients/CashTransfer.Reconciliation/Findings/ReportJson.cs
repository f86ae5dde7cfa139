using System.Text.Json;
using System.Text.Json.Serialization;

namespace CashTransfer.Reconciliation.Findings;

/// <summary>JSON of reports and findings: web style (camelCase), enums as kebab-case names, nulls left out.</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}
