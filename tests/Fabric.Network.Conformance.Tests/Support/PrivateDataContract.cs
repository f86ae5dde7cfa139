using System.Globalization;
using System.Text;
using Fabric.Shim.Contracts;

namespace Fabric.Network.Conformance.Tests.Support;

/// <summary>
/// Private data functions written with our shim; private-contract.js in tests/interop/node/conformance/node-chaincode
/// offers the same ones with the official Node contract API. Values come in through the transient map, so they
/// never appear in the transaction's arguments.
/// </summary>
[Contract("PrivateDataContract")]
public sealed class PrivateDataContract : Contract
{
    /// <summary>Stores the transient entry "value" under <paramref name="key"/> in <paramref name="collection"/>.</summary>
    [Transaction]
    public async Task<string> PutPrivate(Context ctx, string collection, string key)
    {
        if (!ctx.Stub.Transient.TryGetValue("value", out var value)) throw new ChaincodeException("the transient map has no 'value'");
        await ctx.Stub.PutPrivateDataAsync(collection, key, value);
        return "stored";
    }

    [Transaction(TransactionKind.Evaluate)]
    public async Task<string> GetPrivate(Context ctx, string collection, string key) =>
        Encoding.UTF8.GetString(await ctx.Stub.GetPrivateDataAsync(collection, key));

    [Transaction(TransactionKind.Evaluate)]
    public async Task<string> GetPrivateHash(Context ctx, string collection, string key) =>
        Convert.ToHexStringLower(await ctx.Stub.GetPrivateDataHashAsync(collection, key));

    /// <summary>A private read-modify-write: its hashed read makes concurrent increments conflict at commit.</summary>
    [Transaction]
    public async Task<string> IncrementPrivate(Context ctx, string collection, string key)
    {
        var current = Encoding.UTF8.GetString(await ctx.Stub.GetPrivateDataAsync(collection, key));
        var next = ((current.Length == 0 ? 0 : long.Parse(current, CultureInfo.InvariantCulture)) + 1).ToString(CultureInfo.InvariantCulture);
        await ctx.Stub.PutPrivateDataAsync(collection, key, Encoding.UTF8.GetBytes(next));
        return next;
    }

    [Transaction]
    public async Task<string> DeletePrivate(Context ctx, string collection, string key)
    {
        await ctx.Stub.DeletePrivateDataAsync(collection, key);
        return "deleted";
    }

    [Transaction]
    public async Task<string> PurgePrivate(Context ctx, string collection, string key)
    {
        await ctx.Stub.PurgePrivateDataAsync(collection, key);
        return "purged";
    }
}
