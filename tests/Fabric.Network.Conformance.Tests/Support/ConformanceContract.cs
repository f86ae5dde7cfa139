using System.Globalization;
using System.Text;
using Fabric.Shim.Contracts;

namespace Fabric.Network.Conformance.Tests.Support;

/// <summary>
/// A small contract written with our shim's contract API; the Node contract in
/// tests/interop/node/conformance/node-chaincode offers the same functions, so one client script serves both.
/// </summary>
[Contract("ConformanceContract", IsDefault = true)]
public sealed class ConformanceContract : Contract
{
    [Transaction]
    public async Task<string> Put(Context ctx, string key, string value)
    {
        await ctx.Stub.PutStateAsync(key, Encoding.UTF8.GetBytes(value));
        return value;
    }

    [Transaction(TransactionKind.Evaluate)]
    public async Task<string> Get(Context ctx, string key) => Encoding.UTF8.GetString(await ctx.Stub.GetStateAsync(key));

    /// <summary>A read-modify-write: the read joins the read set, so concurrent increments conflict at commit.</summary>
    [Transaction]
    public async Task<string> Increment(Context ctx, string key)
    {
        var current = Encoding.UTF8.GetString(await ctx.Stub.GetStateAsync(key));
        var next = (current.Length == 0 ? 0 : long.Parse(current, CultureInfo.InvariantCulture)) + 1;
        var text = next.ToString(CultureInfo.InvariantCulture);
        await ctx.Stub.PutStateAsync(key, Encoding.UTF8.GetBytes(text));
        return text;
    }

    [Transaction]
    public Task<string> Fail(Context ctx, string message) => throw new ChaincodeException(message);

    [Transaction]
    public string Emit(Context ctx, string name, string payload)
    {
        ctx.Stub.SetEvent(name, Encoding.UTF8.GetBytes(payload));
        return payload;
    }
}
