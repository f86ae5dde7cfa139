namespace Fabric.Shim.Stub;

/// <summary>One page of a paginated query: its results, how many were fetched, and the bookmark for the next page (empty at the end).</summary>
public sealed record QueryPage(IReadOnlyList<KeyValue> Results, int FetchedRecordsCount, string Bookmark);
