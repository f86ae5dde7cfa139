using System.Text;
using System.Text.Json;
using Fabric.Shim.Contracts;

namespace Fabric.Probe.Chaincode;

/// <summary>
/// Checks a real network through the .NET shim: state, events, read-modify-write conflicts, the caller's
/// identity, and which package answered. The same functions, names and results as the Node probe contract
/// (tests/interop/node/fabric-network/probe), so the same scenarios run against both.
/// </summary>
[Contract("probe", IsDefault = true)]
public sealed class ProbeContract : Contract
{
    /// <summary>Writes a value and announces it with a "put" chaincode event.</summary>
    [Transaction(Name = "put")]
    public async Task<string> PutAsync(Context context, string key, string value)
    {
        await context.Stub.PutStateAsync(key, Encoding.UTF8.GetBytes(value));
        context.Stub.SetEvent("put", JsonSerializer.SerializeToUtf8Bytes(new { key, value }));
        return value;
    }

    [Transaction(TransactionKind.Evaluate, Name = "get")]
    public async Task<string> GetAsync(Context context, string key)
    {
        var value = await context.Stub.GetStateAsync(key);
        if (value is not { Length: > 0 }) throw new ChaincodeException($"no value for key {key}", 404);
        return Encoding.UTF8.GetString(value);
    }

    /// <summary>Read-modify-write of one key: two of these endorsed on the same state conflict (MVCC).</summary>
    [Transaction(Name = "increment")]
    public async Task<string> IncrementAsync(Context context, string key)
    {
        var current = await context.Stub.GetStateAsync(key);
        var next = (current is { Length: > 0 } ? long.Parse(Encoding.UTF8.GetString(current), System.Globalization.CultureInfo.InvariantCulture) : 0) + 1;
        var text = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Stub.PutStateAsync(key, Encoding.UTF8.GetBytes(text));
        return text;
    }

    /// <summary>The package that answered: the server's release label (name_sequence).</summary>
    [Transaction(TransactionKind.Evaluate, Name = "release")]
    public Task<string> ReleaseAsync(Context context) =>
        Task.FromResult(Environment.GetEnvironmentVariable("PROBE_RELEASE") ?? "unknown");

    /// <summary>A Fabric attribute of the submitting client's certificate (e.g. cashtransfer.role).</summary>
    [Transaction(TransactionKind.Evaluate, Name = "attribute")]
    public Task<string> AttributeAsync(Context context, string name) =>
        Task.FromResult(context.ClientIdentity.GetAttributeValue(name) ?? throw new ChaincodeException($"the caller has no attribute {name}", 404));

    /// <summary>The MSP id of the submitting client, as the chaincode sees it.</summary>
    [Transaction(TransactionKind.Evaluate, Name = "whoami")]
    public Task<string> WhoAmIAsync(Context context) => Task.FromResult(context.ClientIdentity.MspId);
}
