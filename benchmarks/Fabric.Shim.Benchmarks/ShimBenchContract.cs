using System.Globalization;
using System.Text;
using Fabric.Shim.Contracts;

namespace Fabric.Shim.Benchmarks;

/// <summary>
/// The benchmarked transactions, written with our contract API; tests/interop/node/bench/shim-contract does the
/// same stub calls in the same order with fabric-contract-api and builds the same result strings, which the
/// benchmark compares before timing.
/// </summary>
[Contract("ShimBench", IsDefault = true)]
public sealed class ShimBenchContract : Contract
{
    private static string Key(string prefix, int i) => prefix + i.ToString("D5", CultureInfo.InvariantCulture);

    private static string Value(string prefix, int i, int size) => (Key(prefix, i) + ":").PadRight(size, 'x');

    /// <summary>Writes <paramref name="count"/> keys prefix00000.. of <paramref name="size"/> bytes each (run once, submitted, before timing).</summary>
    [Transaction]
    public async Task<string> Seed(Context ctx, string prefix, int count, int size)
    {
        for (var i = 0; i < count; i++)
            await ctx.Stub.PutStateAsync(Key(prefix, i), Encoding.UTF8.GetBytes(Value(prefix, i, size)));
        return $"seeded={count}";
    }

    /// <summary>No stub call: the fixed cost of one transaction through the shim.</summary>
    [Transaction(TransactionKind.Evaluate)]
    public string Ping(Context ctx) => "pong";

    /// <summary><paramref name="count"/> GET_STATE then <paramref name="count"/> PUT_STATE round trips: reads each key and writes its value back.</summary>
    [Transaction(TransactionKind.Evaluate)]
    public async Task<string> ReadWrite(Context ctx, string prefix, int count)
    {
        int found = 0, bytes = 0;
        var values = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            values[i] = await ctx.Stub.GetStateAsync(Key(prefix, i));
            if (values[i].Length > 0) found++;
            bytes += values[i].Length;
        }
        for (var i = 0; i < count; i++)
            await ctx.Stub.PutStateAsync(Key(prefix, i), values[i]);
        return $"found={found} bytes={bytes}";
    }

    /// <summary>Reads the whole prefix range page by page (GET_STATE_BY_RANGE + QUERY_STATE_CLOSE per page).</summary>
    [Transaction(TransactionKind.Evaluate)]
    public async Task<string> Range(Context ctx, string prefix, int pageSize)
    {
        var bookmark = "";
        int keys = 0, pages = 0, bytes = 0;
        var last = "";
        while (true)
        {
            var page = await ctx.Stub.GetStateByRangeWithPaginationAsync(prefix, prefix + "~", pageSize, bookmark);
            pages++;
            foreach (var result in page.Results)
            {
                keys++;
                bytes += result.Value.Length;
                last = result.Key;
            }
            bookmark = page.Bookmark;
            if (page.FetchedRecordsCount < pageSize || bookmark.Length == 0) break;
        }
        return $"keys={keys} pages={pages} bytes={bytes} last={last}";
    }
}
