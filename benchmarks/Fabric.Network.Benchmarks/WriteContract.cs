using System.Text;
using Fabric.Shim.Contracts;

namespace Fabric.Network.Benchmarks;

/// <summary>The benchmarked transaction: one read and one write of a key, as a minimal ledger update.</summary>
[Contract("Bench", IsDefault = true)]
public sealed class WriteContract : Contract
{
    [Transaction]
    public async Task<string> Write(Context ctx, string key, string value)
    {
        await ctx.Stub.GetStateAsync(key);
        await ctx.Stub.PutStateAsync(key, Encoding.UTF8.GetBytes(value));
        return value;
    }
}
