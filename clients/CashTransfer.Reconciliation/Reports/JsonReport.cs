using System.Text.Json;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Reports;

/// <summary><c>reconciliation.json</c>: the scope, what was read, the figures, and every finding, streamed to the writer.</summary>
public static class JsonReport
{
    public const string FileName = "reconciliation.json";

    public static async Task WriteAsync(ReconciliationResult result, Stream output, CancellationToken ct = default)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WritePropertyName("scope");
        JsonSerializer.Serialize(json, result.Scope, ReportJson.Options);
        json.WriteString("startedAt", result.StartedAt);
        json.WriteString("finishedAt", result.FinishedAt);
        json.WriteBoolean("needsAction", result.NeedsAction);
        json.WritePropertyName("sources");
        JsonSerializer.Serialize(json, result.Sources, ReportJson.Options);
        json.WritePropertyName("counts");
        JsonSerializer.Serialize(json, result.Counts, ReportJson.Options);
        json.WritePropertyName("redemptionsPerDay");
        JsonSerializer.Serialize(json, result.Figures.Daily, ReportJson.Options);
        json.WritePropertyName("retailers");
        JsonSerializer.Serialize(json, result.Figures.Retailers, ReportJson.Options);
        json.WriteStartArray("findings");
        foreach (var f in result.Findings)
        {
            JsonSerializer.Serialize(json, f, ReportJson.Options);
            if (json.BytesPending > 1 << 16) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }
}
