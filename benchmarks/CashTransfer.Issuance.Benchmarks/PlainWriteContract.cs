using System.Text;
using Fabric.Shim.Contracts;

namespace CashTransfer.Issuance.Benchmarks;

/// <summary>The reference: one plain write per row (the row's key, a fixed value), no read, index or key-level policy.</summary>
[Contract("PlainWrite", IsDefault = true)]
public sealed class PlainWriteContract : Contract
{
    private static readonly byte[] Value = Encoding.UTF8.GetBytes("1");

    /// <param name="keys">The rows' keys, comma-separated.</param>
    [Transaction]
    public async Task<int> WriteAll(Context ctx, string keys)
    {
        var all = keys.Split(',');
        foreach (var key in all) await ctx.Stub.PutStateAsync(key, Value);
        return all.Length;
    }
}
