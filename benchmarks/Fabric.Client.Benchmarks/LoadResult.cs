using System.Text.Json.Serialization;

namespace Fabric.Client.Benchmarks;

/// <summary>What one load run printed (same JSON from the .NET and the Node worker): completed calls, failed calls, the window's length.</summary>
public sealed record LoadResult(
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("firstError")] string FirstError)
{
    public double Rate => Calls / Seconds;
}
