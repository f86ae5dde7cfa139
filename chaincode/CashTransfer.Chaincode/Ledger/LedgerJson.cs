using System.Text.Json;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Ledger;

/// <summary>
/// How records are written to the ledger and into events: the contract API's JSON (camelCase, enums as names),
/// so that state, events and function results look alike. Serialization is deterministic (declaration order,
/// no dictionaries), which endorsement needs: every peer must write the same bytes.
/// </summary>
public static class LedgerJson
{
    public static JsonSerializerOptions Options => ContractJson.Options;

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(byte[] bytes) =>
        JsonSerializer.Deserialize<T>(bytes, Options) ?? throw new InvalidOperationException($"Expected a {typeof(T).Name} record, found JSON null.");
}
