using System.Text;
using Fabric.Shim.Contracts;

namespace Fabric.Client.Benchmarks;

/// <summary>The chaincode both clients call: one write (submit) and one read (evaluate), so the client's own work dominates.</summary>
[Contract("ClientBench", IsDefault = true)]
public sealed class ClientBenchContract : Fabric.Shim.Contracts.Contract
{
    [Transaction]
    public async Task<string> Put(Context ctx, string key, string value)
    {
        await ctx.Stub.PutStateAsync(key, Encoding.UTF8.GetBytes(value));
        return value;
    }

    [Transaction(TransactionKind.Evaluate)]
    public async Task<string> Get(Context ctx, string key) => Encoding.UTF8.GetString(await ctx.Stub.GetStateAsync(key));
}
