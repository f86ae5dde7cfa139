using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fabric.Shim.Contracts;

namespace Fabric.Client.EmbeddedTests.Support;

/// <summary>
/// The chaincode the client tests run against, written with our shim's contract API: state, events, a
/// read-modify-write, a failure, transient data, a slow function, and a hook between read and write that lets a
/// test make a conflict happen deterministically.
/// </summary>
[Contract("TestContract", IsDefault = true)]
public sealed class TestContract : Fabric.Shim.Contracts.Contract
{
    /// <summary>Called by <see cref="IncrementGated"/> after its read, with the transaction id; may hold the execution.</summary>
    public Func<string, Task>? AfterRead { get; set; }

    /// <summary>Called when <see cref="Sleep"/> starts: the call is then certainly in flight.</summary>
    public Action? SleepStarted { get; set; }

    [Transaction]
    public async Task<string> Put(Context ctx, string key, string value)
    {
        await ctx.Stub.PutStateAsync(key, Encoding.UTF8.GetBytes(value));
        ctx.Stub.SetEvent("Put", Encoding.UTF8.GetBytes(key + "=" + value));
        return value;
    }

    [Transaction(TransactionKind.Evaluate)]
    public async Task<string> Get(Context ctx, string key)
    {
        var value = await ctx.Stub.GetStateAsync(key);
        if (value.Length == 0) throw new ChaincodeException($"{key} does not exist");
        return Encoding.UTF8.GetString(value);
    }

    /// <summary>A read-modify-write: concurrent increments of one key conflict at commit (MVCC_READ_CONFLICT).</summary>
    [Transaction]
    public async Task<string> Increment(Context ctx, string key) => await IncrementAsync(ctx, key, hook: false);

    /// <summary>Like <see cref="Increment"/>, with <see cref="AfterRead"/> between the read and the write.</summary>
    [Transaction]
    public async Task<string> IncrementGated(Context ctx, string key) => await IncrementAsync(ctx, key, hook: true);

    [Transaction]
    public Task<string> Fail(Context ctx, string message) => throw new ChaincodeException(message);

    /// <summary>Stores only the SHA-256 of the transient "secret": the secret reaches the chaincode, never the ledger.</summary>
    [Transaction]
    public async Task<string> StoreSecretHash(Context ctx, string key)
    {
        if (!ctx.Stub.Transient.TryGetValue("secret", out var secret)) throw new ChaincodeException("transient field 'secret' is missing");
        await ctx.Stub.PutStateAsync(key, Encoding.UTF8.GetBytes(Convert.ToHexString(SHA256.HashData(secret))));
        return secret.Length.ToString(CultureInfo.InvariantCulture);
    }

    [Transaction(TransactionKind.Evaluate)]
    public async Task<string> Sleep(Context ctx, string milliseconds)
    {
        SleepStarted?.Invoke();
        await Task.Delay(int.Parse(milliseconds, CultureInfo.InvariantCulture));
        return "slept";
    }

    private async Task<string> IncrementAsync(Context ctx, string key, bool hook)
    {
        var current = Encoding.UTF8.GetString(await ctx.Stub.GetStateAsync(key));
        if (hook && AfterRead is { } afterRead) await afterRead(ctx.Stub.TxId);
        var next = (current.Length == 0 ? 0 : long.Parse(current, CultureInfo.InvariantCulture)) + 1;
        var text = next.ToString(CultureInfo.InvariantCulture);
        await ctx.Stub.PutStateAsync(key, Encoding.UTF8.GetBytes(text));
        return text;
    }
}
